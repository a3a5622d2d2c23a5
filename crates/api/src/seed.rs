//! The demo organization `make run` loads into an empty database: people in the default
//! departments and a customer archive to explore. Deterministic: the same data every time.

use crate::auth::hash_password;
use crate::error::ApiError;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use domain::account::{AccountClass, AccountInput, INDUSTRIES, SOURCES};
use domain::auth::UserCreate;
use domain::money::{Decimal, Money};
use domain::role::Role;
use persistence::{accounts, departments, organizations, users};

pub const DEMO_EMAIL: &str = "demo@kehu.local";
pub const DEMO_PASSWORD: &str = "kehu-demo-2026";

const COMPANIES: &[&str] = &[
    "深圳市丰泽日用品有限公司",
    "广州市恒达电子科技有限公司",
    "上海浦江精密机械股份有限公司",
    "北京华信软件技术有限公司",
    "杭州西湖茶业有限公司",
    "成都蜀锦纺织有限责任公司",
    "武汉长江物流集团有限公司",
    "南京金陵建筑工程有限公司",
    "苏州工业园区博远光电有限公司",
    "天津滨海新材料有限公司",
    "重庆山城汽车配件有限公司",
    "西安古城文化旅游发展有限公司",
    "青岛海风食品有限公司",
    "厦门鹭岛进出口贸易有限公司",
    "长沙湘江医疗器械有限公司",
    "郑州中原粮油有限公司",
    "合肥科大智能设备有限公司",
    "福州闽江水务有限公司",
    "昆明春城花卉有限公司",
    "大连海湾船舶修造有限公司",
    "宁波港城包装材料有限公司",
    "东莞市顺达五金制品有限公司",
    "佛山市美居家具有限公司",
    "无锡太湖环保科技有限公司",
    "济南泉城保险代理有限公司",
    "沈阳北方重工机械有限公司",
    "哈尔滨冰城乳业有限公司",
    "南宁绿城农业发展有限公司",
    "贵阳云岭大数据服务有限公司",
    "石家庄燕赵制药有限公司",
    "Acme Trading Co., Ltd.",
    "Pacific Rim Logistics Ltd.",
    "Northwind Foods Inc.",
    "Blue Harbor Software Limited",
    "Golden Gate Instruments Corp.",
    "Silverline Textiles Co., Ltd.",
    "Evergreen Packaging Ltd.",
    "Summit Medical Devices Inc.",
    "Redwood Construction Group",
    "Lotus Hospitality Management Ltd.",
];
const REGIONS: &[(&str, &str)] = &[
    ("440305", "0755"),
    ("440106", "020"),
    ("310115", "021"),
    ("110108", "010"),
    ("330106", "0571"),
    ("510104", "028"),
    ("420102", "027"),
    ("320102", "025"),
];
const TAGS: &[&str] = &[
    "VIP",
    "华南",
    "华东",
    "华北",
    "老客户",
    "重点跟进",
    "export",
];

/// A small deterministic generator (no dependence on the rand crate's algorithms across versions).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
}

/// Loads the demo organization unless any organization exists. Returns whether it loaded.
pub async fn demo_if_empty(conn: &mut AsyncPgConnection) -> Result<bool, ApiError> {
    if organizations::any(conn).await? {
        return Ok(false);
    }
    let hash = hash_password(DEMO_PASSWORD)?;
    conn.transaction::<_, ApiError, _>(async |c| load(c, &hash).await)
        .await?;
    Ok(true)
}

async fn load(c: &mut AsyncPgConnection, hash: &str) -> Result<(), ApiError> {
    let org = organizations::create(c, "Kehu 演示公司", "zh-CN").await?;
    let (root, depts) = departments::create_default_tree(c, org.id, "zh-CN").await?;
    persistence::pipelines::create_default(c, org.id, "zh-CN").await?;
    let dept = |key: &str| {
        depts
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, id)| *id)
            .unwrap_or(root)
    };
    let people = [
        (DEMO_EMAIL, "演示管理员", Role::Admin, root),
        ("li.qiang@kehu.local", "李强", Role::Manager, dept("sales")),
        ("wang.fang@kehu.local", "王芳", Role::Sales, dept("sales")),
        ("zhang.wei@kehu.local", "张伟", Role::Sales, dept("sales")),
        (
            "emily.chen@kehu.local",
            "Emily Chen",
            Role::Sales,
            dept("sales"),
        ),
        (
            "liu.yang@kehu.local",
            "刘洋",
            Role::Service,
            dept("service"),
        ),
        (
            "chen.jing@kehu.local",
            "陈静",
            Role::Finance,
            dept("finance"),
        ),
    ];
    let mut sales = Vec::new();
    for (email, name, role, department_id) in people {
        let input = UserCreate {
            email: email.into(),
            name: name.into(),
            password: String::new(),
            role,
            department_id,
        };
        let user = users::create(c, org.id, &input, hash).await?;
        if matches!(role, Role::Sales | Role::Manager) {
            sales.push(user.id);
        }
    }
    let mut rng = Lcg(20261123);
    for (i, name) in COMPANIES.iter().enumerate() {
        let owner = *rng.pick(&sales);
        let (_, scope) = users::principal(c, owner).await.map(|(_, _, s)| ((), s))?;
        let (region, area) = *rng.pick(REGIONS);
        let first17 = format!("91{}{:09}", region, 100_000_000 + rng.next() % 899_999_999);
        let mut input = AccountInput {
            name: name.to_string(),
            credit_code: domain::credit_code::with_check_char(&first17),
            industry: Some(rng.pick(INDUSTRIES).0.to_string()),
            employees: Some((20 + rng.next() % 5000) as i32),
            annual_revenue: Some(Money {
                amount: format!("{}.00", 500_000 + (rng.next() % 200) * 250_000)
                    .parse::<Decimal>()
                    .map_err(ApiError::Internal)?,
                currency: "CNY".into(),
            }),
            region: Some(region.into()),
            address: None,
            website: name.is_ascii().then(|| {
                format!(
                    "www.{}.example.com",
                    name.split(' ').next().unwrap_or("acme").to_lowercase()
                )
            }),
            phone: Some(format!("{area}-{}", 80_000_000 + rng.next() % 9_999_999)),
            source: Some(rng.pick(SOURCES).0.to_string()),
            class: AccountClass::ALL[i % 3],
            owner_id: Some(owner),
            tags: vec![rng.pick(TAGS).to_string()],
        };
        input
            .normalize()
            .map_err(|e| ApiError::Internal(format!("demo account {name}: {e:?}")))?;
        accounts::create(c, &scope, &input, true).await?;
    }
    Ok(())
}
