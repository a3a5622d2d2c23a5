//! Every label of the app in zh-CN (the default) and English, in one table; the current language
//! (remembered in localStorage); and locale-aware formatting of dates, numbers and money.

use crate::session;
use chrono::{DateTime, Utc};
use domain::account::AccountClass;
use domain::money::Money;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

const STORAGE_KEY: &str = "kehu.locale";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Zh,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Zh, Locale::En];

    /// BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Zh => "中文",
            Locale::En => "English",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.tag() == tag)
    }

    fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::Zh => zh,
            Locale::En => en,
        }
    }
}

/// A label. Its texts are in [`text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum K {
    Brand,
    NavAccounts,
    SearchPlaceholder,
    SignOut,
    Language,
    // sign-in
    SignInTitle,
    Email,
    Password,
    SignIn,
    SigningIn,
    WrongCredentials,
    TooManyAttempts,
    // lists
    AccountsTitle,
    NewAccount,
    QuickSearch,
    Search,
    AllClasses,
    AllIndustries,
    AllSources,
    AnyOwner,
    MyAccounts,
    TagFilter,
    ClearFilters,
    TotalCount,
    Loading,
    LoadMore,
    SortAscending,
    SortDescending,
    // account fields
    Name,
    CreditCode,
    Industry,
    Employees,
    AnnualRevenue,
    Currency,
    Region,
    Address,
    Website,
    Phone,
    Source,
    Class,
    Owner,
    Tags,
    CreatedAt,
    UpdatedAt,
    Version,
    // forms
    EditAccount,
    Save,
    Saving,
    Cancel,
    Create,
    FixMarkedFields,
    TagsHint,
    RegionHint,
    Province,
    City,
    District,
    RegionCode,
    Clear,
    None,
    DuplicateTitle,
    DuplicateText,
    CreateAnyway,
    SaveAnyway,
    ReasonCreditCode,
    ReasonName,
    ReasonSimilarName,
    StaleTitle,
    StaleText,
    Reload,
    // detail
    Details,
    History,
    Edit,
    Delete,
    ConfirmDelete,
    Restore,
    InRecycleBin,
    ActionCreate,
    ActionUpdate,
    ActionDelete,
    ActionRestore,
    ActionMerge,
    ActionTransfer,
    NoHistory,
    Field,
    Before,
    After,
    BackToList,
    Mine,
    // search
    SearchResults,
    NoResults,
    SearchHint,
    EntityAccount,
    // errors
    ErrorTitle,
    Retry,
    NetworkError,
    PageNotFound,
    RecordNotFound,
    Forbidden,
    SessionEnded,
    NavHome,
    NavContacts,
    NavOpportunities,
    NavPipeline,
    BackHome,
    ContactsTitle,
    NewContact,
    EditContact,
    NoContactsYet,
    QuickSearchContacts,
    JobTitle,
    Account,
    Contact,
    Phones,
    Emails,
    Wechat,
    Birthday,
    ListHint,
    TypeToSearch,
    ViewAll,
    NothingMatches,
    EmptyListHintGeneric,
    OpportunitiesTitle,
    NewOpportunity,
    EditOpportunity,
    NoOpportunitiesYet,
    QuickSearchOpportunities,
    Amount,
    ExpectedClose,
    Stage,
    Status,
    AllStatuses,
    Probability,
    ProbabilityHint,
    Competitors,
    CloseReason,
    FirstStage,
    StageHistory,
    MoveTo,
    WonTitle,
    LostTitle,
    WonReason,
    LostReason,
    Confirm,
    PipelineTitle,
    ListView,
    HomeTitle,
    MyPipeline,
    OpenDeals,
    OpenBoard,
    ForecastTitle,
    NoForecast,
    Weighted,
    Commit,
    BestCase,
    ClosedWon,
    NeglectedTitle,
    NeglectedHint,
    NothingNeglected,
    EntityContact,
    EntityOpportunity,
    ReasonPhone,
    ReasonEmail,
    NavLeads,
    LeadsTitle,
    NewLead,
    EditLead,
    Lead,
    EntityLead,
    Company,
    Description,
    DisqualifyReason,
    ConvertLead,
    Convert,
    ConvertedInto,
    CreateNew,
    CreateFromLead,
    LinkExisting,
    AlsoOpenDeal,
    DealSuffix,
    UseThisOne,
    NavDuplicates,
    NavTransfer,
    DuplicatesTitle,
    NoDuplicates,
    KeepHint,
    MergePreview,
    MergeRecords,
    MovesContacts,
    MovesOpportunities,
    MovesLeads,
    MovesHistory,
    FilledFields,
    Preview,
    Merge,
    TransferTitle,
    TransferHint,
    TransferFrom,
    TransferTo,
    TransferKinds,
    TransferWould,
    TransferDone,
    Transfer,
    LostCategory,
    NavTasks,
    MyTasks,
    Activities,
    TimelineTitle,
    NoActivityYet,
    ActivityKind,
    Subject,
    ActivityBody,
    DueAt,
    LogActivity,
    MarkDone,
    TaskDone,
    Overdue,
    RelatedRecord,
    Open,
    // settings (admins)
    NavSettings,
    SettingsTitle,
    OrgSettings,
    NeglectDays,
    NeglectDaysHint,
    AdminOnly,
    Saved,
    Picklists,
    PicklistsHint,
    PicklistKey,
    LabelZh,
    LabelEn,
    Inactive,
    Deactivate,
    Reactivate,
    MoveUp,
    MoveDown,
    AddValue,
    // fields the forms do not edit (history and timeline)
    Pipeline,
    ProbabilityOverridden,
    Campaign,
    ClosedAt,
    ConvertedAt,
    ConvertedBy,
    Opportunity,
    Yes,
    No,
}

/// The texts of a label: (zh-CN, en).
fn text(k: K) -> (&'static str, &'static str) {
    use K::*;
    match k {
        Brand => ("客户 Kehu", "Kehu 客户"),
        NavAccounts => ("客户", "Accounts"),
        SearchPlaceholder => ("搜索（按 / 键）", "Search (press /)"),
        SignOut => ("退出登录", "Sign out"),
        Language => ("语言", "Language"),
        SignInTitle => ("登录客户管理系统", "Sign in to Kehu"),
        Email => ("邮箱", "Email"),
        Password => ("密码", "Password"),
        SignIn => ("登录", "Sign in"),
        SigningIn => ("正在登录…", "Signing in…"),
        WrongCredentials => ("邮箱或密码不正确", "Wrong email or password"),
        TooManyAttempts => (
            "尝试次数过多，请稍后再试",
            "Too many attempts, try again later",
        ),
        AccountsTitle => ("企业客户", "Accounts"),
        NewAccount => ("新建客户", "New account"),
        QuickSearch => (
            "快速搜索名称、电话、信用代码",
            "Quick search: name, phone, credit code",
        ),
        Search => ("搜索", "Search"),
        AllClasses => ("全部类别", "All classes"),
        AllIndustries => ("全部行业", "All industries"),
        AllSources => ("全部来源", "All sources"),
        AnyOwner => ("全部负责人", "Any owner"),
        MyAccounts => ("我负责的", "Mine"),
        TagFilter => ("标签", "Tag"),
        ClearFilters => ("清除筛选", "Clear filters"),
        TotalCount => ("共 {n} 条", "{n} in total"),
        Loading => ("加载中…", "Loading…"),
        LoadMore => ("加载更多", "Load more"),
        SortAscending => ("升序", "ascending"),
        SortDescending => ("降序", "descending"),
        Name => ("名称", "Name"),
        CreditCode => ("统一社会信用代码", "Unified social credit code"),
        Industry => ("行业", "Industry"),
        Employees => ("员工人数", "Employees"),
        AnnualRevenue => ("年营业额", "Annual revenue"),
        Currency => ("币种", "Currency"),
        Region => ("地区", "Region"),
        Address => ("地址", "Address"),
        Website => ("网站", "Website"),
        Phone => ("电话", "Phone"),
        Source => ("来源", "Source"),
        Class => ("客户类别", "Class"),
        Owner => ("负责人", "Owner"),
        Tags => ("标签", "Tags"),
        CreatedAt => ("创建时间", "Created"),
        UpdatedAt => ("更新时间", "Updated"),
        Version => ("版本", "Version"),
        EditAccount => ("编辑客户", "Edit account"),
        Save => ("保存", "Save"),
        Saving => ("正在保存…", "Saving…"),
        Cancel => ("取消", "Cancel"),
        Create => ("创建", "Create"),
        FixMarkedFields => ("请修正标出的字段", "Please fix the marked fields"),
        TagsHint => ("多个标签用逗号分隔", "Separate tags with commas"),
        RegionHint => (
            "依次选择省、市、区县，或直接输入 6 位行政区划代码",
            "Choose the province, city and district, or type the 6-digit code",
        ),
        Province => ("省份", "Province"),
        City => ("城市", "City"),
        District => ("区县", "District"),
        RegionCode => ("代码", "Code"),
        Clear => ("清除", "Clear"),
        None => ("（无）", "(none)"),
        DuplicateTitle => ("可能是重复的记录", "Possible duplicates"),
        DuplicateText => (
            "系统中已有以下相同或相似的记录：",
            "These records already exist and look the same or similar:",
        ),
        CreateAnyway => ("仍然创建", "Create anyway"),
        SaveAnyway => ("仍然保存", "Save anyway"),
        ReasonCreditCode => ("信用代码相同", "same credit code"),
        ReasonName => ("名称相同", "same name"),
        ReasonSimilarName => ("名称相似", "similar name"),
        StaleTitle => ("此记录已被他人修改", "Someone else changed this record"),
        StaleText => (
            "重新加载以查看最新内容，然后再修改。",
            "Reload to see the latest version, then make your change again.",
        ),
        Reload => ("重新加载", "Reload"),
        Details => ("详细信息", "Details"),
        History => ("变更历史", "History"),
        Edit => ("编辑", "Edit"),
        Delete => ("删除", "Delete"),
        ConfirmDelete => ("确认删除", "Confirm delete"),
        Restore => ("恢复", "Restore"),
        InRecycleBin => ("此记录在回收站中", "This record is in the recycle bin"),
        ActionCreate => ("创建", "Created"),
        ActionUpdate => ("修改", "Updated"),
        ActionDelete => ("删除", "Deleted"),
        ActionRestore => ("恢复", "Restored"),
        ActionMerge => ("合并", "Merged"),
        ActionTransfer => ("移交", "Transferred"),
        NoHistory => ("暂无变更记录", "No changes yet"),
        Field => ("字段", "Field"),
        Before => ("原值", "Before"),
        After => ("新值", "After"),
        BackToList => ("返回列表", "Back to the list"),
        Mine => ("我", "me"),
        SearchResults => ("搜索结果", "Search results"),
        NoResults => ("没有找到匹配的记录", "Nothing matches"),
        SearchHint => (
            "输入名称、电话或信用代码，按回车搜索",
            "Type a name, phone or credit code and press Enter",
        ),
        EntityAccount => ("客户", "Accounts"),
        ErrorTitle => ("出错了", "Something went wrong"),
        Retry => ("重试", "Retry"),
        NetworkError => ("无法连接服务器", "Cannot reach the server"),
        PageNotFound => ("页面不存在", "Page not found"),
        RecordNotFound => (
            "找不到该记录，或您无权查看",
            "Not found, or not visible to you",
        ),
        Forbidden => ("您没有执行此操作的权限", "You are not allowed to do this"),
        SessionEnded => (
            "登录已过期，请重新登录",
            "Your session has ended; sign in again",
        ),
        NavHome => ("首页", "Home"),
        NavContacts => ("联系人", "Contacts"),
        NavOpportunities => ("商机", "Opportunities"),
        NavPipeline => ("销售看板", "Pipeline"),
        BackHome => ("返回首页", "Back to home"),
        ContactsTitle => ("联系人", "Contacts"),
        NewContact => ("新建联系人", "New contact"),
        EditContact => ("编辑联系人", "Edit contact"),
        NoContactsYet => ("还没有联系人", "No contacts yet"),
        QuickSearchContacts => (
            "快速搜索姓名、电话、邮箱",
            "Quick search: name, phone, email",
        ),
        JobTitle => ("职务", "Title"),
        Account => ("客户", "Account"),
        Contact => ("联系人", "Contact"),
        Phones => ("电话", "Phones"),
        Emails => ("邮箱", "Emails"),
        Wechat => ("微信", "WeChat"),
        Birthday => ("生日", "Birthday"),
        ListHint => ("多个用逗号分隔", "Separate several with commas"),
        TypeToSearch => ("输入名称搜索…", "Type to search…"),
        ViewAll => ("查看全部（{n}）", "View all ({n})"),
        NothingMatches => ("没有符合条件的记录", "Nothing matches"),
        EmptyListHintGeneric => (
            "换个筛选条件，或新建一条记录。",
            "Try other filters, or create a record.",
        ),
        OpportunitiesTitle => ("商机", "Opportunities"),
        NewOpportunity => ("新建商机", "New opportunity"),
        EditOpportunity => ("编辑商机", "Edit opportunity"),
        NoOpportunitiesYet => ("还没有商机", "No opportunities yet"),
        QuickSearchOpportunities => (
            "快速搜索商机名称、竞争对手",
            "Quick search: name, competitor",
        ),
        Amount => ("金额", "Amount"),
        ExpectedClose => ("预计成交日期", "Expected close"),
        Stage => ("阶段", "Stage"),
        Status => ("状态", "Status"),
        AllStatuses => ("全部状态", "All statuses"),
        Probability => ("赢率", "Probability"),
        ProbabilityHint => ("留空则使用阶段的赢率", "Leave empty to use the stage's"),
        Competitors => ("竞争对手", "Competitors"),
        CloseReason => ("赢单/输单原因", "Won/lost reason"),
        FirstStage => ("第一个阶段", "The first stage"),
        StageHistory => ("阶段变更", "Stage changes"),
        MoveTo => ("移动到阶段", "Move to stage"),
        WonTitle => ("赢单", "Mark as won"),
        LostTitle => ("输单", "Mark as lost"),
        WonReason => ("赢单原因", "Why was it won?"),
        LostReason => ("输单原因", "Why was it lost?"),
        Confirm => ("确定", "Confirm"),
        PipelineTitle => ("销售看板", "Pipeline"),
        ListView => ("列表视图", "List view"),
        HomeTitle => ("工作台", "Home"),
        MyPipeline => ("我的销售漏斗", "My pipeline"),
        OpenDeals => ("进行中的商机 {n} 个", "{n} open deals"),
        OpenBoard => ("打开销售看板", "Open the board"),
        ForecastTitle => ("本季度预测", "Forecast this quarter"),
        NoForecast => ("本季度没有预计成交的商机", "No deals close this quarter"),
        Weighted => ("加权金额", "Weighted"),
        Commit => ("承诺", "Commit"),
        BestCase => ("最佳情况", "Best case"),
        ClosedWon => ("已赢单", "Closed won"),
        NeglectedTitle => ("被冷落的客户", "Neglected accounts"),
        NeglectedHint => (
            "我负责的、在联系周期内没有任何活动的客户",
            "My accounts with no activity within the contact cadence",
        ),
        NothingNeglected => ("没有被冷落的客户", "No neglected accounts"),
        EntityContact => ("联系人", "Contacts"),
        EntityOpportunity => ("商机", "Opportunities"),
        ReasonPhone => ("电话相同", "same phone"),
        ReasonEmail => ("邮箱相同", "same email"),
        NavLeads => ("线索", "Leads"),
        LeadsTitle => ("销售线索", "Leads"),
        NewLead => ("新建线索", "New lead"),
        EditLead => ("编辑线索", "Edit lead"),
        Lead => ("线索", "Lead"),
        EntityLead => ("线索", "Leads"),
        Company => ("公司", "Company"),
        Description => ("描述", "Description"),
        DisqualifyReason => ("无效原因", "Disqualify reason"),
        ConvertLead => ("转化线索", "Convert lead"),
        Convert => ("转化", "Convert"),
        ConvertedInto => ("此线索已转化为：", "This lead was converted into:"),
        CreateNew => ("新建", "Create new"),
        CreateFromLead => ("用线索信息新建", "Create from the lead"),
        LinkExisting => ("关联已有", "Link an existing one"),
        AlsoOpenDeal => ("同时创建商机", "Also open a deal"),
        DealSuffix => ("商机", "deal"),
        UseThisOne => ("使用这条", "Use this one"),
        NavDuplicates => ("查重", "Duplicates"),
        NavTransfer => ("客户移交", "Transfer"),
        DuplicatesTitle => ("重复记录", "Duplicates"),
        NoDuplicates => ("没有发现重复记录", "No duplicates found"),
        KeepHint => ("选中的记录保留，其余合并进来后移入回收站。", "The chosen record stays; the others are merged into it and go to the recycle bin."),
        MergePreview => ("合并预览（尚未更改任何数据）", "Merge preview (nothing changed yet)"),
        MergeRecords => ("将合并 {n} 条记录", "{n} records will be merged"),
        MovesContacts => ("转移联系人", "Contacts moved"),
        MovesOpportunities => ("转移商机", "Opportunities moved"),
        MovesLeads => ("转移线索", "Leads moved"),
        MovesHistory => ("转移历史记录", "History entries moved"),
        FilledFields => ("补全的字段", "Fields filled in"),
        Preview => ("预览", "Preview"),
        Merge => ("合并", "Merge"),
        TransferTitle => ("客户移交", "Transfer records"),
        TransferHint => ("把一个用户负责的记录（含回收站中的）移交给另一个用户，例如员工离职时。", "Move the records one user owns (including those in the recycle bin) to another user, e.g. when someone leaves."),
        TransferFrom => ("移交人", "From"),
        TransferTo => ("接收人", "To"),
        TransferKinds => ("移交内容", "What to move"),
        TransferWould => ("预览：将移交", "Preview: would move"),
        TransferDone => ("已移交", "Moved"),
        Transfer => ("移交", "Transfer"),
        LostCategory => ("输单原因分类", "Lost reason category"),
        NavTasks => ("我的任务", "My tasks"),
        MyTasks => ("我的待办任务", "My open tasks"),
        Activities => ("活动", "Activities"),
        TimelineTitle => ("动态", "Timeline"),
        NoActivityYet => ("还没有动态", "Nothing here yet"),
        ActivityKind => ("类型", "Kind"),
        Subject => ("主题", "Subject"),
        ActivityBody => ("内容", "Details"),
        DueAt => ("截止", "Due"),
        LogActivity => ("记录", "Log it"),
        MarkDone => ("完成", "Mark done"),
        TaskDone => ("已完成", "Done"),
        Overdue => ("已逾期", "Overdue"),
        RelatedRecord => ("相关记录", "Related record"),
        Open => ("打开", "Open"),
        NavSettings => ("设置", "Settings"),
        SettingsTitle => ("系统设置", "Settings"),
        OrgSettings => ("组织设置", "Organization"),
        NeglectDays => ("冷落天数", "Neglected after (days)"),
        NeglectDaysHint => ("客户连续这么多天没有任何活动（电话、拜访、会议等），即被视为“被冷落”，列在首页提醒跟进；0–3650。", "An account with no activity (call, visit, meeting…) for this many days counts as neglected and is listed on the home page for follow-up; 0–3650."),
        AdminOnly => ("只有管理员可以更改这些设置。", "Only admins can change these settings."),
        Saved => ("已保存", "Saved"),
        Picklists => ("选项列表", "Picklists"),
        PicklistsHint => ("记录里保存的是选项的键，所以键一旦保存就不能修改或删除；不再使用的选项请停用：新记录不能再选它，已有记录照常显示其名称。", "Records store a value's key, so a saved key can't be changed or removed; deactivate a value you no longer use: new records can't choose it, existing ones keep showing its label."),
        PicklistKey => ("键", "Key"),
        LabelZh => ("中文名称", "Chinese label"),
        LabelEn => ("英文名称", "English label"),
        Inactive => ("已停用", "Inactive"),
        Deactivate => ("停用", "Deactivate"),
        Reactivate => ("启用", "Reactivate"),
        MoveUp => ("上移", "Move up"),
        MoveDown => ("下移", "Move down"),
        AddValue => ("添加选项", "Add value"),
        Pipeline => ("销售流程", "Pipeline"),
        ProbabilityOverridden => ("手动设定概率", "Probability set by hand"),
        Campaign => ("市场活动", "Campaign"),
        ClosedAt => ("关闭时间", "Closed at"),
        ConvertedAt => ("转化时间", "Converted at"),
        ConvertedBy => ("转化人", "Converted by"),
        Opportunity => ("商机", "Opportunity"),
        Yes => ("是", "Yes"),
        No => ("否", "No"),
    }
}

/// The language in use; `Copy`, from context (see [`use_i18n`]).
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The remembered choice, else zh-CN.
    pub fn new() -> I18n {
        let locale = session::stored(STORAGE_KEY)
            .and_then(|t| Locale::from_tag(&t))
            .unwrap_or(Locale::Zh);
        set_document_lang(locale);
        I18n {
            locale: RwSignal::new(locale),
        }
    }

    /// The current locale (tracked: views re-render on a switch).
    pub fn locale(self) -> Locale {
        self.locale.get()
    }

    pub fn set(self, locale: Locale) {
        session::store(STORAGE_KEY, locale.tag());
        set_document_lang(locale);
        self.locale.set(locale);
    }

    /// A label in the current language (tracked).
    pub fn t(self, k: K) -> &'static str {
        let (zh, en) = text(k);
        self.locale().pick(zh, en)
    }

    /// A label with `{n}` replaced.
    pub fn t_n(self, k: K, n: i64) -> String {
        self.t(k).replace("{n}", &format_int(n, self.locale()))
    }
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn set_document_lang(locale: Locale) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale.tag());
    }
}

/// The label of a picklist value (`list`: `industry`, `source`, `lost_reason`,
/// `disqualify_reason`): the organization's label, else the built-in one, else the key itself.
pub fn choice_label(list: &str, key: &str, locale: Locale) -> String {
    let values = match use_context::<crate::session::Auth>() {
        Some(auth) => auth.picklist(list),
        None => domain::picklist::defaults(list).unwrap_or_default(),
    };
    values
        .into_iter()
        .find(|v| v.key == key)
        .map(|v| match locale {
            Locale::Zh => v.zh,
            Locale::En => v.en,
        })
        .unwrap_or_else(|| key.to_string())
}

pub fn yes_no(yes: bool, locale: Locale) -> &'static str {
    let (zh, en) = text(if yes { K::Yes } else { K::No });
    locale.pick(zh, en)
}

pub fn class_label(class: AccountClass, locale: Locale) -> &'static str {
    match class {
        AccountClass::Potential => locale.pick("潜在客户", "Potential"),
        AccountClass::Target => locale.pick("目标客户", "Target"),
        AccountClass::Key => locale.pick("重点客户", "Key"),
    }
}

/// A field error in the user's language, from its stable code; the server's (English) message
/// when the code is not one the app knows.
pub fn field_error_message(code: &str, server_message: &str, locale: Locale) -> String {
    let known = match code {
        "required" => Some(("必填", "Required")),
        "length" => None, // the limits are in the server's message
        "range" => None,
        "email" => Some(("邮箱格式不正确", "Not a valid email")),
        "credit_code" => Some((
            "不是有效的统一社会信用代码（18 位，含校验码）",
            "Not a valid unified social credit code (18 characters with a check character)",
        )),
        "phone" => Some(("不是有效的电话号码", "Not a valid phone number")),
        "url" => Some(("不是有效的网址", "Not a web address")),
        "picklist" => Some(("不是列表中的选项", "Not one of the choices")),
        "key" => Some((
            "键只能用小写字母、数字和下划线（1–40 个）",
            "1–40 lower-case letters, digits or _",
        )),
        "unique" => Some(("不能重复", "Appears more than once")),
        "region" => Some((
            "应为 6 位行政区划代码，如 440305",
            "A 6-digit region code such as 440305",
        )),
        "scale" => Some(("小数点后最多 4 位", "At most 4 digits after the point")),
        "integer" => Some(("请输入整数", "Enter a whole number")),
        "decimal" => Some(("请输入数字，如 12500.00", "Enter a number such as 12500.00")),
        "currency" => Some((
            "应为 ISO 4217 币种代码，如 CNY",
            "An ISO 4217 code such as CNY",
        )),
        _ => None,
    };
    match (known, locale) {
        (Some((zh, en)), l) => l.pick(zh, en).to_string(),
        (None, Locale::Zh) if code == "length" => format!("长度不符合要求（{server_message}）"),
        (None, Locale::Zh) if code == "range" => format!("超出范围（{server_message}）"),
        (None, _) => server_message.to_string(),
    }
}

/// Digit grouping by thousands (both locales group by three).
fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count or size, with the locale's grouping (`Intl.NumberFormat`).
pub fn format_int(n: i64, locale: Locale) -> String {
    js_sys::Number::from(n as f64)
        .to_locale_string(locale.tag())
        .into()
}

/// Money, exactly (the decimal string is never turned into a float): `¥12,500.00` in Chinese,
/// `CN¥12,500.00` in English, as `Intl` writes them.
pub fn format_money(m: &Money, locale: Locale) -> String {
    let plain = m.amount.to_string();
    let (sign, plain) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest.to_string()),
        None => ("", plain),
    };
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut frac = frac.to_string();
    while frac.len() < 2 {
        frac.push('0');
    }
    let symbol = match (m.currency.as_str(), locale) {
        ("CNY", Locale::Zh) => "¥".to_string(),
        ("CNY", Locale::En) => "CN¥".to_string(),
        ("USD", Locale::Zh) => "US$".to_string(),
        ("USD", Locale::En) => "$".to_string(),
        ("EUR", _) => "€".to_string(),
        ("HKD", _) => "HK$".to_string(),
        (code, _) => format!("{code} "),
    };
    format!("{sign}{symbol}{}.{frac}", group_digits(int))
}

/// Date and time in the browser's time zone, in the locale's style
/// (`2026/11/23 14:05` / `Nov 23, 2026, 2:05 PM`).
pub fn format_datetime(at: &DateTime<Utc>, locale: Locale) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale.tag(), &options).into()
}

/// A stage's name in the current language: the default pipeline's stages have both names; an
/// organization's own stages show as they were named.
pub fn stage_label(name: &str, locale: Locale) -> String {
    domain::pipeline::DEFAULT_STAGES
        .iter()
        .find(|s| s.1 == name || s.2 == name)
        .map(|s| locale.pick(s.1, s.2).to_string())
        .unwrap_or_else(|| name.to_string())
}

/// A calendar date in the locale's style (`2026/11/23`, `Nov 23, 2026`).
pub fn format_date(d: &chrono::NaiveDate, locale: Locale) -> String {
    use chrono::Datelike;
    let date =
        js_sys::Date::new_with_year_month_day(d.year() as u32, d.month0() as i32, d.day() as i32);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    date.to_locale_date_string(locale.tag(), &options).into()
}

/// Sums per currency, formatted and joined (`¥12,500.00 + $300.00`); `—` for none.
pub fn format_totals(amounts: &[Money], locale: Locale) -> String {
    let mut sums: Vec<Money> = Vec::new();
    for m in amounts {
        match sums.iter_mut().find(|s| s.currency == m.currency) {
            Some(s) => s.amount = domain::money::Decimal(s.amount.0.clone() + m.amount.0.clone()),
            None => sums.push(m.clone()),
        }
    }
    if sums.is_empty() {
        return "—".to_string();
    }
    sums.iter()
        .map(|m| format_money(m, locale))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Today in the browser's time zone.
pub fn today() -> chrono::NaiveDate {
    let now = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}
