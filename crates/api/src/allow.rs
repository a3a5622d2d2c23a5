//! `405 Method Not Allowed` with `Allow` for a method a path does not answer. Which methods each
//! path answers comes from the OpenAPI document, which is collected from the same `service(...)`
//! calls that route requests, so no path is listed by hand.

use utoipa::openapi::OpenApi;

/// One segment of a documented path: literal text, or a `{parameter}`.
#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Parameter,
}

/// The documented paths and the methods each answers.
pub struct Methods(Vec<(Vec<Segment>, Vec<&'static str>)>);

impl Methods {
    pub fn from_document(doc: &OpenApi) -> Methods {
        let table = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template
                    .trim_matches('/')
                    .split('/')
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Parameter
                        } else {
                            Segment::Literal(s.to_string())
                        }
                    })
                    .collect();
                let operations = [
                    ("GET", &item.get),
                    ("HEAD", &item.head),
                    ("POST", &item.post),
                    ("PUT", &item.put),
                    ("PATCH", &item.patch),
                    ("DELETE", &item.delete),
                    ("OPTIONS", &item.options),
                    ("TRACE", &item.trace),
                ];
                let methods = operations
                    .into_iter()
                    .filter(|(_, op)| op.is_some())
                    .map(|(m, _)| m)
                    .collect();
                (segments, methods)
            })
            .collect();
        Methods(table)
    }

    /// The `Allow` value for a request to `path` with a method it does not answer: the methods
    /// of the most specific documented path matching it (`/accounts/merge` before
    /// `/accounts/{id}`). `None` when no documented path matches, or that one answers `method`.
    pub fn allow(&self, method: &str, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let specificity = |segments: &[Segment]| -> Option<Vec<bool>> {
            (segments.len() == parts.len()).then_some(())?;
            segments
                .iter()
                .zip(&parts)
                .map(|(segment, part)| match segment {
                    Segment::Literal(l) => (l == part).then_some(true),
                    Segment::Parameter => (!part.is_empty()).then_some(false),
                })
                .collect()
        };
        let (_, methods) = self
            .0
            .iter()
            .filter_map(|(segments, methods)| Some((specificity(segments)?, methods)))
            .max_by(|a, b| a.0.cmp(&b.0))?;
        (!methods.contains(&method)).then(|| methods.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_documented_path_gives_the_methods() {
        let methods = Methods::from_document(&crate::openapi::document());
        assert_eq!(
            methods.allow("PUT", "/api/v1/accounts").as_deref(),
            Some("GET, POST")
        );
        assert_eq!(
            methods
                .allow(
                    "POST",
                    "/api/v1/accounts/0190a0a0-0000-7000-8000-000000000000"
                )
                .as_deref(),
            Some("GET, PATCH, DELETE")
        );
        assert_eq!(
            methods.allow("GET", "/api/v1/accounts/merge").as_deref(),
            Some("POST"),
            "a literal segment is more specific than a parameter"
        );
        assert_eq!(methods.allow("GET", "/api/v1/accounts"), None, "answered");
        assert_eq!(methods.allow("PUT", "/api/v1/nothing-here"), None);
        assert_eq!(methods.allow("PUT", "/api/v1/accounts//history"), None);
        assert_eq!(methods.allow("POST", "/ready").as_deref(), Some("GET"));
    }
}
