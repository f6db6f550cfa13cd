//! One JSON error shape for every failure of the API, after crates.io's:
//! `{"errors": [{"status", "code", "detail", "message": {"zh", "en"}, …}]}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zige_catalog::{Bilingual, Lang};

use crate::i18n::Tr;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    pub status: u16,
    /// Machine-readable: `bad_request`, `not_found`, `method_not_allowed`, …
    pub code: &'static str,
    /// One line in English.
    pub detail: String,
    pub message: Bilingual,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// In a file sent (a batch check): the row as a spreadsheet shows it,
    /// the header being row 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// In a file sent: the column's letter, `A`, `B`, … `AA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Seconds to wait before trying again (429, 503); also sent as the
    /// `Retry-After` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub errors: Vec<ApiError>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Self {
        let en = en.into();
        ApiError {
            status: status.as_u16(),
            code,
            detail: en.clone(),
            message: Bilingual::new(zh, en),
            field: None,
            value: None,
            allowed: None,
            suggestions: Vec::new(),
            row: None,
            column: None,
            retry_after: None,
        }
    }

    /// An error whose message is `key` of the message catalogues
    /// (`i18n/*/*.ftl`), with the same arguments in both languages.
    pub fn localized(
        status: StatusCode,
        code: &'static str,
        key: &str,
        args: &[(&'static str, String)],
    ) -> Self {
        ApiError::localized_each(status, code, key, |_| args.to_vec())
    }

    /// [`ApiError::localized`], with arguments that depend on the language.
    pub fn localized_each(
        status: StatusCode,
        code: &'static str,
        key: &str,
        args: impl Fn(Lang) -> Vec<(&'static str, String)>,
    ) -> Self {
        let en = Tr { lang: Lang::En }.with(key, &args(Lang::En));
        let zh = Tr { lang: Lang::Zh }.with(key, &args(Lang::Zh));
        ApiError::new(status, code, en, zh)
    }

    /// The same error, naming the field it is about.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same error, quoting the value that was given.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// The same error, saying what is allowed instead.
    pub fn with_message(mut self, en: impl Into<String>, zh: impl Into<String>) -> Self {
        self.message = Bilingual::new(zh, en);
        self
    }

    /// The error with what is allowed (English, as the contract states it).
    pub fn with_allowed(mut self, allowed: impl Into<String>) -> Self {
        self.allowed = Some(allowed.into());
        self
    }

    /// The same error, with close matches of what was given.
    pub fn with_suggestions(mut self, suggestions: Vec<String>) -> Self {
        self.suggestions = suggestions;
        self
    }

    /// The same error, telling how many seconds to wait before trying again.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The same error under another HTTP status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status.as_u16();
        self
    }

    /// 400 naming the field, the value and what is allowed.
    pub fn invalid(field: &str, value: &str, allowed: &str) -> Self {
        ApiError::localized(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "api-invalid",
            &[
                ("field", field.to_string()),
                ("value", value.to_string()),
                ("allowed", allowed.to_string()),
            ],
        )
        .with_field(field)
        .with_value(value)
        .with_allowed(allowed)
    }

    pub fn not_found(what: &str, value: &str, suggestions: Vec<String>) -> Self {
        ApiError::localized(
            StatusCode::NOT_FOUND,
            "not_found",
            "api-not-found",
            &[("what", what.to_string()), ("value", value.to_string())],
        )
        .with_field(what)
        .with_value(value)
        .with_suggestions(suggestions)
    }

    pub fn unauthorized() -> Self {
        ApiError::localized(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "api-unauthorized",
            &[],
        )
    }

    pub fn forbidden() -> Self {
        ApiError::localized(StatusCode::FORBIDDEN, "forbidden", "api-forbidden", &[])
    }

    /// 409: someone else changed the record first, or its state no longer allows this.
    pub fn conflict(en: impl Into<String>, zh: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", en, zh)
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        let detail = detail.into();
        tracing::error!(%detail, "internal error");
        ApiError::localized(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "api-internal",
            &[],
        )
    }

    pub fn unavailable() -> Self {
        ApiError::localized(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "api-unavailable",
            &[],
        )
    }

    /// Several field errors at once (the first is the envelope's head).
    pub fn from_inputs(errs: Vec<zige_rules::InputError>) -> Vec<ApiError> {
        errs.into_iter().map(ApiError::from_input).collect()
    }

    pub fn from_input(input: zige_rules::InputError) -> Self {
        let mut out = ApiError::invalid(&input.field, &input.value, &input.allowed)
            .with_suggestions(input.suggestions.clone());
        out.detail = input.to_string();
        out.message = Bilingual::new(input.message(zige_catalog::Lang::Zh), input.to_string());
        // An entry that is not in the catalogue is not found; a malformed
        // one (too long, invisible characters: allowed said in Chinese
        // too) is a bad request.
        if input.field == "entry" && input.allowed_zh.is_none() {
            out.status = 404;
            out.code = "not_found";
        }
        out
    }
}

impl From<zige_store::StoreError> for ApiError {
    fn from(error: zige_store::StoreError) -> Self {
        use zige_store::StoreError;
        match error {
            StoreError::Conflict => ApiError::localized(
                StatusCode::CONFLICT,
                "conflict",
                "api-changed-meanwhile",
                &[],
            ),
            StoreError::NotFound => ApiError::not_found("resource", "", Vec::new()),
            StoreError::Gone => ApiError::localized(StatusCode::GONE, "gone", "api-link-used", &[]),
            StoreError::Duplicate(field) => ApiError::localized(
                StatusCode::CONFLICT,
                "conflict",
                "api-duplicate",
                &[("field", field.to_string())],
            )
            .with_field(field),
            StoreError::Limit { what, max } => limit_reached(what, max),
            full if full.is_storage_full() => {
                tracing::error!(error = %full, "storage is full; a write was refused");
                ApiError::localized(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_full",
                    "api-storage-full",
                    &[],
                )
            }
            other => ApiError::internal(other.to_string()),
        }
    }
}

/// A limit refused a write: 409 for counts (a file or a draft too many),
/// 413 for stored bytes; the limit is named, with its value.
fn limit_reached(what: zige_store::LimitKind, max: i64) -> ApiError {
    use zige_store::LimitKind;
    let (status, code, field, key, allowed) = match what {
        LimitKind::EvidencePerApplication => (
            StatusCode::CONFLICT,
            "too_many_files",
            "file",
            "api-too-many-files",
            format!("at most {max} files per application"),
        ),
        LimitKind::OpenDrafts => (
            StatusCode::CONFLICT,
            "too_many_drafts",
            "application",
            "api-too-many-drafts",
            format!("at most {max} open drafts per account"),
        ),
        LimitKind::StoragePerAccount => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "storage_limit",
            "file",
            "api-storage-limit",
            format!("at most {max} bytes of evidence per account"),
        ),
    };
    ApiError::localized(status, code, key, &[("max", max.to_string())])
        .with_field(field)
        .with_value(what.to_string())
        .with_allowed(allowed)
}

/// Several errors in one envelope (every invalid field of a form).
pub struct ApiErrors(pub Vec<ApiError>);

impl IntoResponse for ApiErrors {
    fn into_response(self) -> Response {
        let status = self
            .0
            .first()
            .and_then(|first| StatusCode::from_u16(first.status).ok())
            .unwrap_or(StatusCode::BAD_REQUEST);
        let retry = self.0.iter().find_map(|e| e.retry_after);
        with_retry_after(
            (status, axum::Json(ErrorBody { errors: self.0 })).into_response(),
            retry,
        )
    }
}

impl From<ApiError> for ApiErrors {
    fn from(error: ApiError) -> Self {
        ApiErrors(vec![error])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = self.retry_after;
        with_retry_after(
            (status, axum::Json(ErrorBody { errors: vec![self] })).into_response(),
            retry,
        )
    }
}

/// Adds `Retry-After: SECONDS` when there is a wait to tell.
pub fn with_retry_after(mut response: Response, seconds: Option<u64>) -> Response {
    if let Some(seconds) = seconds {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(seconds),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_from_the_catalogues_word_for_word() {
        let entry = ApiError::not_found("entry", "G999", Vec::new());
        assert_eq!(entry.detail, "no entry 'G999'");
        assert_eq!(entry.message.en, "no entry 'G999'");
        assert_eq!(entry.message.zh, "找不到职业资格“G999”");
        let catalog = ApiError::not_found("catalog", "x/1", Vec::new());
        assert_eq!(catalog.message.zh, "找不到目录版本“x/1”");
        let other = ApiError::not_found("application", "7", Vec::new());
        assert_eq!(other.message.zh, "找不到资源“7”");
        let invalid = ApiError::invalid("age", "x", "a whole number 16–100");
        assert_eq!(
            invalid.detail,
            "invalid value 'x' for age: allowed a whole number 16–100"
        );
        assert_eq!(
            invalid.message.zh,
            "字段 age 的值“x”无效，允许：a whole number 16–100"
        );
        let limit = limit_reached(zige_store::LimitKind::OpenDrafts, 5);
        assert_eq!(
            limit.detail,
            "you already have 5 open drafts, the most allowed: submit or delete one first"
        );
        assert_eq!(
            limit.message.zh,
            "您已有 5 份未提交的草稿，已达上限：请先提交或删除一份"
        );
        assert_eq!(
            ApiError::unauthorized().detail,
            "sign in first: POST /api/v1/session gives a bearer token"
        );
        assert_eq!(
            ApiError::forbidden().message.zh,
            "您的账户角色无权进行此操作"
        );
    }
}
