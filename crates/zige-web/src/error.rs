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
    pub message: Bilingual,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
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
            retry_after: None,
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

    pub fn unauthorized() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "sign in first: POST /api/v1/session gives a bearer token",
            "请先登录",
        )
    }

    pub fn forbidden() -> Self {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your account's role may not do this",
            "您的账户角色无权进行此操作",
        )
    }

    /// 409: someone else changed the record first, or its state no longer allows this.
    pub fn conflict(en: impl Into<String>, zh: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", en, zh)
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        let detail = detail.into();
        tracing::error!(%detail, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on our side; nothing you sent was lost, please try again",
            "服务器内部错误，您提交的内容未丢失，请重试",
        )
    }

    pub fn unavailable() -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "this server runs without a database",
            "本服务器未配置数据库",
        )
    }

    /// Several field errors at once (the first is the envelope's head).
    pub fn from_inputs(errs: Vec<zige_rules::InputError>) -> Vec<ApiError> {
        errs.into_iter().map(ApiError::from_input).collect()
    }

    pub fn from_input(e: zige_rules::InputError) -> Self {
        let mut out = ApiError::invalid(&e.field, &e.value, &e.allowed);
        out.detail = e.to_string();
        out.message = Bilingual::new(e.message(zige_catalog::Lang::Zh), e.to_string());
        out.suggestions = e.suggestions.clone();
        // An entry that is not in the catalogue is not found; a malformed
        // one (too long, invisible characters: allowed said in Chinese
        // too) is a bad request.
        if e.field == "entry" && e.allowed_zh.is_none() {
            out.status = 404;
            out.code = "not_found";
        }
        out
    }
}

impl From<zige_store::StoreError> for ApiError {
    fn from(e: zige_store::StoreError) -> Self {
        use zige_store::StoreError as S;
        match e {
            S::Conflict => ApiError::conflict("the application was changed by someone else, or its state no longer allows this; reload it", "申请已被他人更改或当前状态不允许此操作，请刷新后查看"),
            S::NotFound => ApiError::not_found("resource", "", Vec::new()),
            S::Duplicate(field) => {
                let mut e = ApiError::conflict(format!("this {field} already has an account: sign in instead"), "该邮箱已注册，请直接登录");
                e.field = Some(field.into());
                e
            }
            S::Limit { what, max } => limit_reached(what, max),
            e if e.is_storage_full() => {
                tracing::error!(error = %e, "storage is full; a write was refused");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_full",
                    "the server's storage is full; nothing was stored, please try again later",
                    "服务器存储空间已满，未保存任何内容，请稍后重试",
                )
            }
            other => ApiError::internal(other.to_string()),
        }
    }
}

/// A limit refused a write: 409 for counts (a file or a draft too many),
/// 413 for stored bytes; the limit is named, with its value.
fn limit_reached(what: zige_store::LimitKind, max: i64) -> ApiError {
    use zige_store::LimitKind as L;
    let (status, code, field, en, zh, allowed) = match what {
        L::EvidencePerApplication => (
            StatusCode::CONFLICT,
            "too_many_files",
            "file",
            format!("this application already has {max} evidence files, the most allowed; nothing was stored"),
            format!("该申请已有 {max} 个证明文件，已达上限，未保存"),
            format!("at most {max} files per application"),
        ),
        L::OpenDrafts => (
            StatusCode::CONFLICT,
            "too_many_drafts",
            "application",
            format!("you already have {max} open drafts, the most allowed: submit or delete one first"),
            format!("您已有 {max} 份未提交的草稿，已达上限：请先提交或删除一份"),
            format!("at most {max} open drafts per account"),
        ),
        L::StoragePerAccount => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "storage_limit",
            "file",
            format!("your evidence files would exceed {max} bytes in all, the most allowed per account; nothing was stored"),
            format!("您的证明文件总量将超过每个账户 {max} 字节的上限，未保存"),
            format!("at most {max} bytes of evidence per account"),
        ),
    };
    let mut e = ApiError::new(status, code, en, zh);
    e.field = Some(field.into());
    e.value = Some(what.to_string());
    e.allowed = Some(allowed);
    e
}

/// Several errors in one envelope (every invalid field of a form).
pub struct ApiErrors(pub Vec<ApiError>);

impl IntoResponse for ApiErrors {
    fn into_response(self) -> Response {
        let status = self
            .0
            .first()
            .and_then(|e| StatusCode::from_u16(e.status).ok())
            .unwrap_or(StatusCode::BAD_REQUEST);
        let retry = self.0.iter().find_map(|e| e.retry_after);
        with_retry_after(
            (status, axum::Json(ErrorBody { errors: self.0 })).into_response(),
            retry,
        )
    }
}

impl From<ApiError> for ApiErrors {
    fn from(e: ApiError) -> Self {
        ApiErrors(vec![e])
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
pub fn with_retry_after(mut r: Response, seconds: Option<u64>) -> Response {
    if let Some(s) = seconds {
        r.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(s),
        );
    }
    r
}
