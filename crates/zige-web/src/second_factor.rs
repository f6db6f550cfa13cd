//! Old path of the second factor's operations, kept while the tests still
//! use it; the code is in [`crate::cases::accounts::second_factor`].

pub use crate::cases::accounts::second_factor::*;
