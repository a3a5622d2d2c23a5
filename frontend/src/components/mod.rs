//! Components shared by pages, one file each, named for what they hold.

mod duplicate_dialog;
mod error_view;
mod header;
mod language_switch;
mod loading;
mod picklist_select;
mod search_box;
mod sort_header;

pub use duplicate_dialog::DuplicateDialog;
pub use error_view::{error_text, use_retry, ErrorNotice, PageBoundary};
pub use header::Header;
pub use language_switch::LanguageSwitch;
pub use loading::Loading;
pub use picklist_select::PicklistSelect;
pub use search_box::SearchBox;
pub use sort_header::SortHeader;
