//! `topicguide agree SESSION_A SESSION_B`: two observers of one group compared.

use super::output::write_output;
use crate::app::clock::now;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::app::study::{export_input, load_sessions};
use crate::export::agreement::{html, markdown, observed};
use crate::model::agreement::compare;
use crate::model::review::Filter;
use std::path::Path;

/// `agree A B [--html] [-o FILE]`.
pub fn run(
    ctx: &Context,
    a: &str,
    b: &str,
    as_html: bool,
    output: Option<&Path>,
) -> Result<(), AppError> {
    let names = [a.to_string(), b.to_string()];
    let loaded = load_sessions(ctx, &names, &Filter::default())?;
    let [first, second] = loaded.as_slice() else {
        return Err(AppError::User(
            "agree compares two different sessions: name two".into(),
        ));
    };
    let at = now();
    let (ia, ib) = (export_input(first, at), export_input(second, at));
    let (oa, ob) = (observed(&ia), observed(&ib));
    let agreement = compare(&oa, &ob);
    let text = if as_html {
        html(&oa, &ob, &agreement)
    } else {
        markdown(&oa, &ob, &agreement)
    };
    write_output(output, text.as_bytes(), ctx.data_dir().ok())
}
