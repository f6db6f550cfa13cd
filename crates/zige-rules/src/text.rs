//! Cheap-to-clone strings for decisions. A decision repeats texts that live
//! in the policy (benefit names, descriptions, sources) and fixed phrases;
//! sharing them instead of copying keeps `decide` within a few microseconds.
//! Both types serialise exactly like `String` and `Bilingual`.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use zige_catalog::{Bilingual, Lang};

/// An immutable string: a literal, shared, or owned by one decision.
#[derive(Clone)]
pub enum SharedStr {
    Static(&'static str),
    Shared(Arc<str>),
    Owned(String),
}

impl SharedStr {
    pub fn as_str(&self) -> &str {
        match self {
            SharedStr::Static(s) => s,
            SharedStr::Shared(s) => s,
            SharedStr::Owned(s) => s,
        }
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<&'static str> for SharedStr {
    fn from(s: &'static str) -> Self {
        SharedStr::Static(s)
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr::Owned(s)
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        SharedStr::Owned(s.clone())
    }
}

impl SharedStr {
    /// A string many decisions will share (built once, cloned cheaply).
    pub fn shared(text: &str) -> SharedStr {
        SharedStr::Shared(text.into())
    }
}

impl Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(SharedStr::Owned)
    }
}

/// A text in Chinese and English; serialises as `{"zh": …, "en": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Text {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub zh: SharedStr,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub en: SharedStr,
}

impl Text {
    pub fn new(zh: impl Into<SharedStr>, en: impl Into<SharedStr>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// A text many decisions will share.
    pub fn shared(zh: &str, en: &str) -> Text {
        Text {
            zh: SharedStr::shared(zh),
            en: SharedStr::shared(en),
        }
    }

    pub fn to_bilingual(&self) -> Bilingual {
        Bilingual::new(self.zh.as_str(), self.en.as_str())
    }
}

impl From<&Bilingual> for Text {
    fn from(b: &Bilingual) -> Text {
        Text::new(&b.zh, &b.en)
    }
}

impl From<Bilingual> for Text {
    fn from(b: Bilingual) -> Text {
        Text::new(b.zh, b.en)
    }
}
