//! The layer every REST request goes through: records it (with the parsed body and the
//! answer), applies injected delays and failures, and hands handlers the parsed body. Also
//! the fallback for routes the fake does not model, flagged so tests can see them.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use super::faults::injected_response;
use super::recorder::RecordedRequest;
use super::rest::{err, ReqBody};
use super::state::SharedRef;

/// Marker the fallback leaves on its response so the middleware can flag the request.
#[derive(Clone, Copy)]
pub struct UnknownRoute;

pub async fn unknown() -> Response {
    let mut resp = err(404, 0, "404: Not Found");
    resp.extensions_mut().insert(UnknownRoute);
    resp
}

/// Records every REST request, applies injected delays and failures, and hands handlers the
/// parsed body. The websocket route ("/") passes straight through.
pub async fn record(State(shared): State<SharedRef>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/" {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let full = req.uri().path().to_owned();
    let path = full.strip_prefix("/api/v10").unwrap_or(&full).to_owned();
    let query = req.uri().query().map(str::to_owned);
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let (json, files, uploads) = parse_body(&parts.headers, bytes.clone()).await;
    for (name, data) in uploads {
        shared.recorder.push_upload(name, data);
    }
    // Handlers see uploads as the attachment objects Discord would make of them.
    let for_handler = super::payloads::with_uploads(&json, &files);
    let mut rec = RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        query,
        body: json,
        files,
        at: std::time::SystemTime::now(),
        status: 0,
        response: Value::Null,
        unknown_route: false,
        injected: false,
    };

    let delay = shared.faults.delay_for(&method, &path);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let resp = if let Some(injected) = shared.faults.take(&method, &path, &rec.body) {
        rec.injected = true;
        injected_response(&injected)
    } else {
        let mut req = Request::from_parts(parts, Body::from(bytes));
        req.extensions_mut().insert(ReqBody(for_handler));
        next.run(req).await
    };

    rec.unknown_route = resp.extensions().get::<UnknownRoute>().is_some();
    rec.status = resp.status().as_u16();
    let (parts, body) = resp.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    rec.response = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    shared.recorder.push(rec);
    Response::from_parts(parts, Body::from(bytes))
}

async fn parse_body(
    headers: &HeaderMap,
    bytes: axum::body::Bytes,
) -> (Value, Vec<(String, String, usize)>, Vec<(String, Vec<u8>)>) {
    let is_multipart = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if !is_multipart {
        return (
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            vec![],
            vec![],
        );
    }
    let mut req = Request::new(Body::from(bytes));
    *req.headers_mut() = headers.clone();
    let (mut json, mut files, mut uploads) = (Value::Null, vec![], vec![]);
    if let Ok(mut form) = Multipart::from_request(req, &()).await {
        while let Ok(Some(field)) = form.next_field().await {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let data = field.bytes().await.unwrap_or_default();
            match file_name {
                Some(f) => {
                    files.push((name, f.clone(), data.len()));
                    uploads.push((f, data.to_vec()));
                }
                None if name == "payload_json" => {
                    json = serde_json::from_slice(&data).unwrap_or(Value::Null)
                }
                None => {}
            }
        }
    }
    (json, files, uploads)
}
