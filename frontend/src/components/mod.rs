//! Components shared by pages, one file each, named for what they hold.

mod delete_confirm;
mod duplicate_dialog;
mod error_view;
mod header;
mod history;
mod language_switch;
mod list_filters;
mod loading;
mod notification_bell;
mod owner_select;
mod picklist_select;
mod record_actions;
mod record_picker;
mod recycle_badge;
mod region;
mod search_box;
mod sort_header;
mod timeline;
mod value_list;

pub use delete_confirm::DeleteConfirm;
pub use duplicate_dialog::DuplicateDialog;
pub use error_view::{error_text, use_retry, ErrorNotice, PageBoundary};
pub use header::Header;
pub use history::{action_label, actor_text, FieldText, HistoryList};
pub use language_switch::LanguageSwitch;
pub use list_filters::{
    EnumFilter, FilterBar, FlagFilter, OwnerListFilter, PicklistFilter, ReferenceChip, TextFilter,
};
pub use loading::Loading;
pub use notification_bell::NotificationBell;
pub use owner_select::{OwnerFilter, OwnerSelect};
pub use picklist_select::PicklistSelect;
pub use record_actions::RecordActions;
pub use record_picker::RecordPicker;
pub use recycle_badge::{recycle_at_of, returns_on_text, RecycleBadge};
pub use region::{path_label, region_label, RegionPicker, Regions};
pub use search_box::SearchBox;
pub use sort_header::SortHeader;
pub use timeline::{record_href, Timeline};
pub use value_list::{ValueListEditor, ValueRows};
