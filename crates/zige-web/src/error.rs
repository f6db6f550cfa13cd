//! One JSON error shape for every failure of the API, after crates.io's:
//! `{"errors": [{"status", "code", "detail", "message": {"zh", "en"}, …}]}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zige_catalog::Bilingual;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    pub status: u16,
    /// Machine-readable: `bad_request`, `not_found`, `method_not_allowed`, …
    pub code: &'static str,
    /// One line in English.
    pub detail: String,
    #[schema(value_type = Object)]
    pub message: Bilingual,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
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
        }
    }

    /// 400 naming the field, the value and what is allowed.
    pub fn invalid(field: &str, value: &str, allowed: &str) -> Self {
        let mut e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("invalid value '{value}' for {field}: allowed {allowed}"),
            format!("字段 {field} 的值“{value}”无效，允许：{allowed}"),
        );
        e.field = Some(field.into());
        e.value = Some(value.into());
        e.allowed = Some(allowed.into());
        e
    }

    pub fn not_found(what: &str, value: &str, suggestions: Vec<String>) -> Self {
        let mut e = ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no {what} '{value}'"),
            format!(
                "找不到{}“{value}”",
                match what {
                    "entry" => "职业资格",
                    "catalog" => "目录版本",
                    _ => "资源",
                }
            ),
        );
        e.field = Some(what.into());
        e.value = Some(value.into());
        e.suggestions = suggestions;
        e
    }

    pub fn from_input(e: zige_rules::InputError) -> Self {
        let mut out = ApiError::invalid(&e.field, &e.value, &e.allowed);
        out.detail = e.to_string();
        out.message = Bilingual::new(e.message(zige_catalog::Lang::Zh), e.to_string());
        out.suggestions = e.suggestions.clone();
        if e.field == "entry" {
            out.status = 404;
            out.code = "not_found";
        }
        out
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(ErrorBody { errors: vec![self] })).into_response()
    }
}
