//! The vocabulary of generated records: Chinese and English names, companies, cities with their
//! GB/T 2260 codes and telephone area codes, titles, products. Weighted where it matters (common
//! surnames are common), so searches hit realistic numbers of rows.

/// Chinese surnames with their pinyin, weighted roughly by frequency.
pub const SURNAMES: &[(u32, (&str, &str))] = &[
    (74, ("王", "wang")),
    (72, ("李", "li")),
    (70, ("张", "zhang")),
    (54, ("刘", "liu")),
    (46, ("陈", "chen")),
    (26, ("杨", "yang")),
    (22, ("黄", "huang")),
    (21, ("赵", "zhao")),
    (20, ("吴", "wu")),
    (19, ("周", "zhou")),
    (17, ("徐", "xu")),
    (16, ("孙", "sun")),
    (14, ("马", "ma")),
    (14, ("朱", "zhu")),
    (13, ("胡", "hu")),
    (12, ("郭", "guo")),
    (12, ("何", "he")),
    (11, ("林", "lin")),
    (11, ("高", "gao")),
    (10, ("罗", "luo")),
    (10, ("郑", "zheng")),
    (9, ("梁", "liang")),
    (8, ("谢", "xie")),
    (8, ("宋", "song")),
    (8, ("唐", "tang")),
    (7, ("许", "xu")),
    (7, ("韩", "han")),
    (7, ("冯", "feng")),
    (7, ("邓", "deng")),
    (6, ("曹", "cao")),
    (6, ("彭", "peng")),
    (6, ("曾", "zeng")),
    (5, ("萧", "xiao")),
    (5, ("田", "tian")),
    (5, ("董", "dong")),
    (5, ("潘", "pan")),
    (4, ("袁", "yuan")),
    (4, ("蔡", "cai")),
    (4, ("蒋", "jiang")),
    (4, ("余", "yu")),
    (3, ("欧阳", "ouyang")),
    (2, ("司马", "sima")),
];

/// Characters of Chinese given names with their pinyin.
pub const GIVEN: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("英", "ying"),
    ("华", "hua"),
    ("慧", "hui"),
    ("建", "jian"),
    ("国", "guo"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂", "gui"),
    ("文", "wen"),
    ("辉", "hui"),
    ("鹏", "peng"),
    ("玲", "ling"),
    ("婷", "ting"),
    ("浩", "hao"),
    ("宇", "yu"),
    ("晨", "chen"),
    ("欣", "xin"),
    ("怡", "yi"),
    ("佳", "jia"),
    ("子", "zi"),
    ("轩", "xuan"),
    ("梓", "zi"),
    ("雨", "yu"),
    ("博", "bo"),
    ("思", "si"),
    ("嘉", "jia"),
    ("俊", "jun"),
    ("志", "zhi"),
    ("海", "hai"),
    ("春", "chun"),
    ("晓", "xiao"),
    ("红", "hong"),
    ("雪", "xue"),
    ("凯", "kai"),
    ("琳", "lin"),
    ("瑞", "rui"),
    ("泽", "ze"),
    ("昊", "hao"),
    ("诗", "shi"),
    ("涵", "han"),
    ("颖", "ying"),
    ("德", "de"),
];

pub const FIRST_NAMES: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Richard",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Emily",
    "Kevin",
    "Laura",
    "Brian",
    "Anna",
    "Jason",
    "Olivia",
    "Ethan",
    "Sophia",
    "Lucas",
    "Grace",
    "Henry",
    "Chloe",
    "Samuel",
    "Hannah",
    "Peter",
    "Amy",
    "Eric",
    "Vivian",
    "Tony",
    "Cindy",
    "Alan",
];

pub const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
    "Nelson", "Hill", "Chen", "Wong", "Lee", "Lam", "Tan", "Ng", "Cheung", "Ho", "Lau", "Chan",
];

/// Cities: GB/T 2260 code, telephone area code, Chinese name, English name, districts for addresses.
pub struct City {
    pub code: &'static str,
    pub area: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub districts: &'static [&'static str],
}

macro_rules! city {
    ($code:literal, $area:literal, $zh:literal, $en:literal, [$($d:literal),*]) => {
        City { code: $code, area: $area, zh: $zh, en: $en, districts: &[$($d),*] }
    };
}

/// Weighted: the big coastal cities carry most customers.
pub const CITIES: &[(u32, City)] = &[
    (
        14,
        city!(
            "440300",
            "0755",
            "深圳市",
            "Shenzhen",
            ["南山区", "福田区", "宝安区", "龙岗区"]
        ),
    ),
    (
        12,
        city!(
            "440100",
            "020",
            "广州市",
            "Guangzhou",
            ["天河区", "越秀区", "白云区", "番禺区"]
        ),
    ),
    (
        14,
        city!(
            "310100",
            "021",
            "上海市",
            "Shanghai",
            ["浦东新区", "徐汇区", "静安区", "闵行区"]
        ),
    ),
    (
        12,
        city!(
            "110100",
            "010",
            "北京市",
            "Beijing",
            ["海淀区", "朝阳区", "东城区", "丰台区"]
        ),
    ),
    (
        7,
        city!(
            "330100",
            "0571",
            "杭州市",
            "Hangzhou",
            ["西湖区", "滨江区", "余杭区"]
        ),
    ),
    (
        6,
        city!(
            "510100",
            "028",
            "成都市",
            "Chengdu",
            ["锦江区", "武侯区", "高新区"]
        ),
    ),
    (
        5,
        city!(
            "420100",
            "027",
            "武汉市",
            "Wuhan",
            ["江岸区", "武昌区", "洪山区"]
        ),
    ),
    (
        5,
        city!(
            "320100",
            "025",
            "南京市",
            "Nanjing",
            ["玄武区", "鼓楼区", "江宁区"]
        ),
    ),
    (
        5,
        city!(
            "320500",
            "0512",
            "苏州市",
            "Suzhou",
            ["工业园区", "姑苏区", "吴中区"]
        ),
    ),
    (
        4,
        city!(
            "120100",
            "022",
            "天津市",
            "Tianjin",
            ["和平区", "滨海新区", "南开区"]
        ),
    ),
    (
        4,
        city!(
            "500100",
            "023",
            "重庆市",
            "Chongqing",
            ["渝中区", "江北区", "南岸区"]
        ),
    ),
    (
        3,
        city!(
            "610100",
            "029",
            "西安市",
            "Xi'an",
            ["雁塔区", "碑林区", "未央区"]
        ),
    ),
    (
        3,
        city!(
            "370200",
            "0532",
            "青岛市",
            "Qingdao",
            ["市南区", "崂山区", "黄岛区"]
        ),
    ),
    (
        3,
        city!(
            "350200",
            "0592",
            "厦门市",
            "Xiamen",
            ["思明区", "湖里区", "集美区"]
        ),
    ),
    (
        3,
        city!(
            "430100",
            "0731",
            "长沙市",
            "Changsha",
            ["岳麓区", "芙蓉区", "雨花区"]
        ),
    ),
    (
        3,
        city!(
            "410100",
            "0371",
            "郑州市",
            "Zhengzhou",
            ["金水区", "二七区", "中原区"]
        ),
    ),
    (
        2,
        city!(
            "340100",
            "0551",
            "合肥市",
            "Hefei",
            ["蜀山区", "包河区", "庐阳区"]
        ),
    ),
    (
        2,
        city!(
            "350100",
            "0591",
            "福州市",
            "Fuzhou",
            ["鼓楼区", "台江区", "仓山区"]
        ),
    ),
    (
        2,
        city!(
            "530100",
            "0871",
            "昆明市",
            "Kunming",
            ["五华区", "盘龙区", "官渡区"]
        ),
    ),
    (
        2,
        city!(
            "210200",
            "0411",
            "大连市",
            "Dalian",
            ["中山区", "沙河口区", "甘井子区"]
        ),
    ),
    (
        3,
        city!(
            "330200",
            "0574",
            "宁波市",
            "Ningbo",
            ["海曙区", "鄞州区", "北仑区"]
        ),
    ),
    (
        4,
        city!(
            "441900",
            "0769",
            "东莞市",
            "Dongguan",
            ["南城街道", "长安镇", "虎门镇"]
        ),
    ),
    (
        3,
        city!(
            "440600",
            "0757",
            "佛山市",
            "Foshan",
            ["禅城区", "南海区", "顺德区"]
        ),
    ),
    (
        2,
        city!(
            "320200",
            "0510",
            "无锡市",
            "Wuxi",
            ["梁溪区", "滨湖区", "新吴区"]
        ),
    ),
    (
        2,
        city!(
            "370100",
            "0531",
            "济南市",
            "Jinan",
            ["历下区", "市中区", "槐荫区"]
        ),
    ),
    (
        2,
        city!(
            "210100",
            "024",
            "沈阳市",
            "Shenyang",
            ["和平区", "沈河区", "铁西区"]
        ),
    ),
    (
        1,
        city!(
            "230100",
            "0451",
            "哈尔滨市",
            "Harbin",
            ["南岗区", "道里区", "香坊区"]
        ),
    ),
    (
        1,
        city!(
            "450100",
            "0771",
            "南宁市",
            "Nanning",
            ["青秀区", "兴宁区", "西乡塘区"]
        ),
    ),
    (
        1,
        city!(
            "520100",
            "0851",
            "贵阳市",
            "Guiyang",
            ["观山湖区", "云岩区", "南明区"]
        ),
    ),
    (
        1,
        city!(
            "130100",
            "0311",
            "石家庄市",
            "Shijiazhuang",
            ["长安区", "桥西区", "新华区"]
        ),
    ),
];

/// Two-character brand names of Chinese companies, with pinyin for their web addresses.
pub const BRANDS: &[(&str, &str)] = &[
    ("丰泽", "fengze"),
    ("恒达", "hengda"),
    ("浦江", "pujiang"),
    ("华信", "huaxin"),
    ("博远", "boyuan"),
    ("金陵", "jinling"),
    ("蜀锦", "shujin"),
    ("长江", "changjiang"),
    ("鹭岛", "ludao"),
    ("湘江", "xiangjiang"),
    ("中原", "zhongyuan"),
    ("科大", "keda"),
    ("闽江", "minjiang"),
    ("春城", "chuncheng"),
    ("海湾", "haiwan"),
    ("港城", "gangcheng"),
    ("顺达", "shunda"),
    ("美居", "meiju"),
    ("太湖", "taihu"),
    ("泉城", "quancheng"),
    ("北方", "beifang"),
    ("冰城", "bingcheng"),
    ("绿城", "lvcheng"),
    ("云岭", "yunling"),
    ("燕赵", "yanzhao"),
    ("东方", "dongfang"),
    ("瑞丰", "ruifeng"),
    ("鑫源", "xinyuan"),
    ("宏图", "hongtu"),
    ("天成", "tiancheng"),
    ("中科", "zhongke"),
    ("新华", "xinhua"),
    ("永盛", "yongsheng"),
    ("万达", "wanda"),
    ("嘉禾", "jiahe"),
    ("明辉", "minghui"),
    ("华润", "huarun"),
    ("利群", "liqun"),
    ("创维", "chuangwei"),
    ("腾飞", "tengfei"),
    ("远航", "yuanhang"),
    ("盛世", "shengshi"),
    ("汇通", "huitong"),
    ("联创", "lianchuang"),
    ("同德", "tongde"),
    ("安泰", "antai"),
    ("康宁", "kangning"),
    ("富士", "fushi"),
    ("凯旋", "kaixuan"),
    ("金桥", "jinqiao"),
    ("银河", "yinhe"),
    ("星辰", "xingchen"),
    ("峰华", "fenghua"),
    ("德润", "derun"),
    ("和信", "hexin"),
    ("正泰", "zhengtai"),
    ("九州", "jiuzhou"),
    ("四海", "sihai"),
    ("百川", "baichuan"),
    ("千禧", "qianxi"),
    ("兴业", "xingye"),
    ("旭日", "xuri"),
    ("晨光", "chenguang"),
    ("青松", "qingsong"),
    ("紫金", "zijin"),
    ("宝丰", "baofeng"),
    ("华美", "huamei"),
    ("益民", "yimin"),
    ("隆鑫", "longxin"),
    ("昌盛", "changsheng"),
    ("信达", "xinda"),
    ("锦程", "jincheng"),
    ("卓越", "zhuoyue"),
    ("先锋", "xianfeng"),
    ("启明", "qiming"),
    ("中联", "zhonglian"),
    ("华夏", "huaxia"),
    ("泰和", "taihe"),
    ("万通", "wantong"),
    ("恒丰", "hengfeng"),
];

/// What a company does: Chinese trade, English trade, industry picklist key.
pub const TRADES: &[(&str, &str, &str)] = &[
    ("日用品", "Consumer Goods", "manufacturing"),
    ("电子科技", "Electronics", "internet"),
    ("精密机械", "Precision Machinery", "manufacturing"),
    ("软件技术", "Software", "internet"),
    ("茶业", "Tea", "commerce"),
    ("纺织", "Textiles", "manufacturing"),
    ("物流", "Logistics", "commerce"),
    ("建筑工程", "Construction", "construction"),
    ("光电", "Optoelectronics", "manufacturing"),
    ("新材料", "Advanced Materials", "manufacturing"),
    ("汽车配件", "Auto Parts", "manufacturing"),
    ("文化旅游", "Culture & Travel", "tourism"),
    ("食品", "Foods", "manufacturing"),
    ("进出口贸易", "Trading", "commerce"),
    ("医疗器械", "Medical Devices", "manufacturing"),
    ("粮油", "Grain & Oil", "commerce"),
    ("智能设备", "Smart Devices", "internet"),
    ("水务", "Water Services", "utilities"),
    ("花卉", "Horticulture", "commerce"),
    ("船舶修造", "Shipbuilding", "manufacturing"),
    ("包装材料", "Packaging", "manufacturing"),
    ("五金制品", "Hardware", "manufacturing"),
    ("家具", "Furniture", "manufacturing"),
    ("环保科技", "Environmental Tech", "utilities"),
    ("保险代理", "Insurance Agency", "finance"),
    ("重工机械", "Heavy Industries", "manufacturing"),
    ("乳业", "Dairy", "manufacturing"),
    ("农业发展", "Agriculture", "other"),
    ("大数据服务", "Data Services", "internet"),
    ("制药", "Pharmaceuticals", "manufacturing"),
    ("酒店管理", "Hospitality", "tourism"),
    ("投资控股", "Holdings", "conglomerate"),
    ("融资租赁", "Leasing", "finance"),
    ("能源", "Energy", "utilities"),
    ("化工", "Chemicals", "manufacturing"),
    ("教育科技", "Education Tech", "internet"),
    ("文化传媒", "Media", "tourism"),
    ("信息技术", "IT Services", "internet"),
    ("实业", "Industrial", "conglomerate"),
    ("市政工程", "Civil Engineering", "government"),
];

pub const CJK_SUFFIXES: &[(u32, &str)] = &[
    (70, "有限公司"),
    (15, "股份有限公司"),
    (8, "集团有限公司"),
    (7, "有限责任公司"),
];

pub const LATIN_BRANDS: &[&str] = &[
    "Acme",
    "Pacific Rim",
    "Northwind",
    "Blue Harbor",
    "Golden Gate",
    "Silverline",
    "Evergreen",
    "Summit",
    "Redwood",
    "Lotus",
    "Apex",
    "Crescent",
    "Sterling",
    "Harbor Bay",
    "Jade River",
    "Orient",
    "Meridian",
    "Bright Star",
    "Eastwind",
    "Great Wall",
    "Pearl River",
    "Kowloon",
    "Victoria",
    "Phoenix",
    "Dragon Gate",
    "Silk Road",
    "Oakridge",
    "Bluestone",
    "Nova",
    "Zenith",
];

pub const LATIN_SUFFIXES: &[&str] = &["Co., Ltd.", "Ltd.", "Inc.", "Limited", "Corp.", "Group"];

pub const TITLES: &[(u32, (&str, &str))] = &[
    (20, ("采购经理", "Purchasing Manager")),
    (10, ("总经理", "General Manager")),
    (8, ("技术总监", "CTO")),
    (6, ("财务总监", "CFO")),
    (10, ("销售经理", "Sales Manager")),
    (6, ("行政主管", "Office Manager")),
    (10, ("工程师", "Engineer")),
    (3, ("董事长", "Chairman")),
    (6, ("副总经理", "Deputy General Manager")),
    (10, ("项目经理", "Project Manager")),
    (6, ("采购专员", "Buyer")),
    (5, ("市场总监", "Marketing Director")),
];

pub const PRODUCTS: &[(&str, &str)] = &[
    ("包材", "packaging"),
    ("服务器", "servers"),
    ("ERP 系统", "ERP system"),
    ("办公家具", "office furniture"),
    ("物流外包", "logistics outsourcing"),
    ("设备维保", "equipment maintenance"),
    ("原材料", "raw materials"),
    ("软件许可", "software licences"),
    ("安防系统", "security system"),
    ("培训服务", "training"),
    ("云服务", "cloud services"),
    ("生产线改造", "production line upgrade"),
    ("年度框架协议", "annual framework agreement"),
    ("试点项目", "pilot project"),
];

pub const COMPETITORS: &[&str] = &[
    "用友",
    "金蝶",
    "销售易",
    "纷享销客",
    "Salesforce",
    "HubSpot",
    "Zoho",
    "鼎捷",
    "浪潮",
];

pub const TAGS: &[&str] = &[
    "VIP",
    "华南",
    "华东",
    "华北",
    "老客户",
    "重点跟进",
    "export",
    "战略合作",
];

pub const MAIL_DOMAINS: &[&str] = &[
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "gmail.com",
    "outlook.com",
];
