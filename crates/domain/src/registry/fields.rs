//! The built-in fields of each entity, described once: how each is entered (its [`Input`]), its
//! label, whether it is required or only shown, its section and help. The web app builds its
//! record forms and record pages from these (custom fields follow them, from the metadata API);
//! the server's validation stays with each entity's input type.

use super::Label;

/// How a field is entered and how its value reads. Every field's JSON value is the API's: text
/// and keys as strings, numbers, `{"amount", "currency"}` for money, lists of strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text, at most `max` characters when there is a limit.
    Text {
        max: Option<u16>,
    },
    /// Several lines.
    LongText {
        max: Option<u16>,
    },
    Email,
    Phone,
    Url,
    /// A whole number.
    Integer,
    /// An amount and its ISO 4217 currency (`CNY` unless given).
    Money,
    /// A day (`2026-01-05`).
    Date,
    /// A moment; only ever shown (the server keeps these).
    DateTime,
    /// Yes or no, and what a new record starts with.
    Bool {
        default: bool,
    },
    /// Free labels.
    Tags,
    /// Several values of one kind (`phones`, `emails`, `competitors`).
    List(Item),
    /// One key of the organization's picklist of that name (`industry`).
    Picklist(&'static str),
    /// One of a fixed set of values; a new record starts with the first.
    Enum(&'static [Choice]),
    /// Another record, by the name of its entity (`account`).
    Reference(&'static str),
    /// A user who owns the record (the creator when left empty).
    Owner,
    /// An administrative region code (`440305`).
    Region,
    /// Entered and shown by the entity's own pages (a product's category in the tree, an
    /// opportunity's stage in its pipeline).
    Special,
}

/// What a [`Input::List`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Text,
    Phone,
    Email,
}

/// One value of an [`Input::Enum`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub key: &'static str,
    pub label: Label,
    /// Whether a form may set it (a lead becomes `converted` only by conversion).
    pub settable: bool,
    /// The field a write that sets it must also give (a disqualified lead's reason).
    pub requires: Option<&'static str>,
}

/// A group of fields on forms and record pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// Its name in the page (`data-section`).
    pub key: &'static str,
    pub label: Label,
}

pub const BASIC: Section = Section {
    key: "basic",
    label: Label {
        zh: "基本信息",
        en: "Details",
    },
};

pub const CONTACT_INFO: Section = Section {
    key: "contact",
    label: Label {
        zh: "联系方式",
        en: "Contact details",
    },
};

pub const MORE: Section = Section {
    key: "more",
    label: Label {
        zh: "其他信息",
        en: "More",
    },
};

/// One built-in field of an entity, named as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    pub name: &'static str,
    pub label: Label,
    pub input: Input,
    /// A create or save without it is refused (422 `required` or a length error).
    pub required: bool,
    /// Shown on the record page, never entered (the server sets it).
    pub read_only: bool,
    /// No two live records of an organization share its value (case-insensitive); the
    /// `{plural}_{name}` unique index settles a race. A taken value is a 409 `taken` naming it.
    pub unique: bool,
    pub section: Section,
    /// A line under the input.
    pub help: Option<Label>,
}

impl FieldDef {
    /// A field entered on forms, not required, in `section`, without help.
    pub const fn new(name: &'static str, zh: &'static str, en: &'static str, input: Input) -> Self {
        FieldDef {
            name,
            label: Label { zh, en },
            input,
            required: false,
            read_only: false,
            unique: false,
            section: BASIC,
            help: None,
        }
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    pub const fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    pub const fn in_section(mut self, section: Section) -> Self {
        self.section = section;
        self
    }

    pub const fn help(mut self, zh: &'static str, en: &'static str) -> Self {
        self.help = Some(Label { zh, en });
        self
    }
}

const fn text(max: u16) -> Input {
    Input::Text { max: Some(max) }
}

const ANY_TEXT: Input = Input::Text { max: None };

const fn choice(key: &'static str, zh: &'static str, en: &'static str) -> Choice {
    Choice {
        key,
        label: Label { zh, en },
        settable: true,
        requires: None,
    }
}

/// An account's classes (`AccountClass`), the default first.
pub const ACCOUNT_CLASSES: &[Choice] = &[
    choice("potential", "潜在客户", "Potential"),
    choice("target", "目标客户", "Target"),
    choice("key", "重点客户", "Key"),
];

/// A lead's statuses (`LeadStatus`), the default first.
pub const LEAD_STATUSES: &[Choice] = &[
    choice("new", "新线索", "New"),
    choice("contacted", "已联系", "Contacted"),
    choice("qualified", "已确认", "Qualified"),
    Choice {
        settable: false,
        ..choice("converted", "已转化", "Converted")
    },
    Choice {
        requires: Some("disqualify_reason"),
        ..choice("disqualified", "无效", "Disqualified")
    },
];

/// Whether an opportunity is open, won or lost (`StageKind`): its stage decides.
pub const DEAL_STATUSES: &[Choice] = &[
    choice("open", "进行中", "Open"),
    choice("won", "赢单", "Won"),
    choice("lost", "输单", "Lost"),
];

pub const ACCOUNT_FIELDS: &[FieldDef] = &[
    FieldDef::new("name", "名称", "Name", text(200)).required(),
    FieldDef::new(
        "credit_code",
        "统一社会信用代码",
        "Unified social credit code",
        text(18),
    ),
    FieldDef::new("class", "客户类别", "Class", Input::Enum(ACCOUNT_CLASSES)),
    FieldDef::new("industry", "行业", "Industry", Input::Picklist("industry")),
    FieldDef::new("source", "来源", "Source", Input::Picklist("source")),
    FieldDef::new("owner_id", "负责人", "Owner", Input::Owner),
    FieldDef::new("employees", "员工人数", "Employees", Input::Integer),
    FieldDef::new("annual_revenue", "年营业额", "Annual revenue", Input::Money),
    FieldDef::new("phone", "电话", "Phone", Input::Phone).in_section(CONTACT_INFO),
    FieldDef::new("website", "网站", "Website", Input::Url).in_section(CONTACT_INFO),
    FieldDef::new("region", "地区", "Region", Input::Region).in_section(CONTACT_INFO),
    FieldDef::new("address", "地址", "Address", ANY_TEXT).in_section(CONTACT_INFO),
    FieldDef::new("tags", "标签", "Tags", Input::Tags).in_section(MORE),
    FieldDef::new(
        "last_activity_at",
        "最近活动",
        "Last activity",
        Input::DateTime,
    )
    .read_only()
    .in_section(MORE),
];

pub const CONTACT_FIELDS: &[FieldDef] = &[
    FieldDef::new("name", "姓名", "Name", text(100)).required(),
    FieldDef::new("title", "职务", "Title", ANY_TEXT),
    FieldDef::new("account_id", "客户", "Account", Input::Reference("account")),
    FieldDef::new("owner_id", "负责人", "Owner", Input::Owner),
    FieldDef::new("birthday", "生日", "Birthday", Input::Date),
    FieldDef::new("phones", "电话", "Phones", Input::List(Item::Phone)).in_section(CONTACT_INFO),
    FieldDef::new("emails", "邮箱", "Emails", Input::List(Item::Email)).in_section(CONTACT_INFO),
    FieldDef::new("wechat", "微信", "WeChat", ANY_TEXT).in_section(CONTACT_INFO),
    FieldDef::new("tags", "标签", "Tags", Input::Tags).in_section(MORE),
];

pub const LEAD_FIELDS: &[FieldDef] = &[
    FieldDef::new("name", "姓名", "Name", text(100)).required(),
    FieldDef::new("company", "公司", "Company", ANY_TEXT),
    FieldDef::new("title", "职务", "Title", ANY_TEXT),
    FieldDef::new("status", "状态", "Status", Input::Enum(LEAD_STATUSES)),
    FieldDef::new(
        "disqualify_reason",
        "无效原因",
        "Disqualify reason",
        Input::Picklist("disqualify_reason"),
    ),
    FieldDef::new("industry", "行业", "Industry", Input::Picklist("industry")),
    FieldDef::new("source", "来源", "Source", Input::Picklist("source")),
    FieldDef::new("owner_id", "负责人", "Owner", Input::Owner),
    FieldDef::new("phone", "电话", "Phone", Input::Phone).in_section(CONTACT_INFO),
    FieldDef::new("email", "邮箱", "Email", Input::Email).in_section(CONTACT_INFO),
    FieldDef::new("region", "地区", "Region", Input::Region).in_section(CONTACT_INFO),
    FieldDef::new("address", "地址", "Address", ANY_TEXT).in_section(CONTACT_INFO),
    FieldDef::new("tags", "标签", "Tags", Input::Tags).in_section(MORE),
    FieldDef::new(
        "description",
        "描述",
        "Description",
        Input::LongText { max: None },
    )
    .in_section(MORE),
    FieldDef::new("converted_at", "转化时间", "Converted", Input::DateTime)
        .read_only()
        .in_section(MORE),
    FieldDef::new(
        "account_id",
        "转化的客户",
        "Converted to account",
        Input::Reference("account"),
    )
    .read_only()
    .in_section(MORE),
    FieldDef::new(
        "contact_id",
        "转化的联系人",
        "Converted to contact",
        Input::Reference("contact"),
    )
    .read_only()
    .in_section(MORE),
    FieldDef::new(
        "opportunity_id",
        "转化的商机",
        "Converted to opportunity",
        Input::Reference("opportunity"),
    )
    .read_only()
    .in_section(MORE),
];

pub const OPPORTUNITY_FIELDS: &[FieldDef] = &[
    FieldDef::new("name", "名称", "Name", text(200)).required(),
    FieldDef::new("account_id", "客户", "Account", Input::Reference("account")).required(),
    FieldDef::new(
        "contact_id",
        "联系人",
        "Contact",
        Input::Reference("contact"),
    ),
    FieldDef::new("amount", "金额", "Amount", Input::Money),
    FieldDef::new(
        "expected_close",
        "预计成交日期",
        "Expected close",
        Input::Date,
    ),
    FieldDef::new("stage_id", "阶段", "Stage", Input::Special),
    FieldDef::new("status", "状态", "Status", Input::Enum(DEAL_STATUSES)).read_only(),
    FieldDef::new("probability", "赢率", "Probability", Input::Integer)
        .help("留空则使用阶段的赢率", "Leave empty to use the stage's"),
    FieldDef::new("source", "来源", "Source", Input::Picklist("source")),
    FieldDef::new("owner_id", "负责人", "Owner", Input::Owner),
    FieldDef::new(
        "competitors",
        "竞争对手",
        "Competitors",
        Input::List(Item::Text),
    )
    .in_section(MORE),
    FieldDef::new("tags", "标签", "Tags", Input::Tags).in_section(MORE),
    FieldDef::new(
        "lost_reason",
        "输单原因分类",
        "Lost reason category",
        Input::Picklist("lost_reason"),
    )
    .read_only()
    .in_section(MORE),
    FieldDef::new("close_reason", "赢单/输单原因", "Won/lost reason", ANY_TEXT)
        .read_only()
        .in_section(MORE),
    FieldDef::new("closed_at", "成交时间", "Closed", Input::DateTime)
        .read_only()
        .in_section(MORE),
];

pub const PRODUCT_FIELDS: &[FieldDef] = &[
    FieldDef::new("code", "产品代码", "Product code", text(60))
        .required()
        .unique(),
    FieldDef::new("name", "名称", "Name", text(200)).required(),
    FieldDef::new("category_id", "产品分类", "Category", Input::Special),
    FieldDef::new("spec", "规格", "Specification", text(200)),
    FieldDef::new("model", "型号", "Model", text(100)),
    FieldDef::new("unit", "计量单位", "Unit", text(20)),
    FieldDef::new("unit_price", "单价", "Unit price", Input::Money),
    FieldDef::new("active", "启用", "Active", Input::Bool { default: true }).help(
        "停用的产品保留在已有记录上，但不再供新记录选用",
        "Inactive products stay on existing records but are not offered for new ones",
    ),
    FieldDef::new(
        "remarks",
        "备注",
        "Remarks",
        Input::LongText { max: Some(2000) },
    ),
];

#[cfg(test)]
mod tests {
    use super::super::{entity, ENTITIES};
    use super::*;

    #[test]
    fn field_names_are_unique_and_required_ones_are_entered() {
        for e in ENTITIES {
            for (i, f) in e.fields.iter().enumerate() {
                assert!(
                    e.fields[i + 1..].iter().all(|o| o.name != f.name),
                    "{}.{} twice",
                    e.name,
                    f.name
                );
                assert!(
                    !(f.required && f.read_only),
                    "{}.{} required but read-only",
                    e.name,
                    f.name
                );
                assert!(!f.label.zh.is_empty() && !f.label.en.is_empty());
                if let Input::Reference(target) = f.input {
                    assert!(entity(target).is_some(), "{}.{} → {target}", e.name, f.name);
                }
                if let Input::Enum(choices) = f.input {
                    assert!(choices.first().is_some_and(|c| c.settable));
                }
            }
        }
    }

    #[test]
    fn a_required_field_is_one_of_the_entity_and_named_by_its_value() {
        use super::super::LEAD;
        assert_eq!(
            LEAD.required_by("disqualify_reason"),
            Some(("status", "disqualified"))
        );
        assert_eq!(LEAD.required_by("company"), None);
        for e in ENTITIES {
            for f in e.fields {
                if let Input::Enum(choices) = f.input {
                    for needed in choices.iter().filter_map(|c| c.requires) {
                        assert!(e.field(needed).is_some(), "{}.{needed}", e.name);
                    }
                }
            }
        }
    }

    #[test]
    fn the_record_entities_describe_their_fields() {
        for e in ENTITIES.iter().filter(|e| e.joins.custom_fields) {
            assert!(
                e.fields.iter().any(|f| f.name == "name" && f.required),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn enum_keys_are_the_domain_types() {
        use crate::account::AccountClass;
        use crate::lead::LeadStatus;
        let classes: Vec<&str> = AccountClass::ALL.iter().map(|c| c.as_str()).collect();
        let listed: Vec<&str> = ACCOUNT_CLASSES.iter().map(|c| c.key).collect();
        assert_eq!(classes, listed);
        assert_eq!(ACCOUNT_CLASSES[0].key, AccountClass::default().as_str());
        let statuses: Vec<&str> = LeadStatus::ALL.iter().map(|s| s.as_str()).collect();
        let listed: Vec<&str> = LEAD_STATUSES.iter().map(|c| c.key).collect();
        assert_eq!(statuses, listed);
        assert_eq!(LEAD_STATUSES[0].key, LeadStatus::default().as_str());
        use crate::pipeline::StageKind;
        let kinds: Vec<&str> = [StageKind::Open, StageKind::Won, StageKind::Lost]
            .iter()
            .map(|k| k.as_str())
            .collect();
        let listed: Vec<&str> = DEAL_STATUSES.iter().map(|c| c.key).collect();
        assert_eq!(kinds, listed);
    }
}
