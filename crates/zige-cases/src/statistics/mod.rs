//! Statistics of recognition cases, pure: the counted cells the store
//! keeps up to date with every state change (`cells`), the officials'
//! report with its filters built from them (`report`), and the public
//! figures with small counts suppressed (`public`).

pub mod cells;
pub mod public;
pub mod report;

pub use cells::{days_between, CaseCell, Cells, DecisionCell, Month, OpenCase, ReviewerCell};
pub use public::{PublicEntry, PublicMonth, PublicStatistics, SUPPRESSED_BELOW};
pub use report::{Counts, MonthRow, Query, Report, ReviewerRow, Row, Spread};
