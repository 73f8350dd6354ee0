//! `topicguide keys`: the effective keys of every screen, the defaults plus the user's config, as
//! a table to print, as JSON (PRODUCT.md's contract) or as the Markdown table the README carries.

use super::args::KeysFormat;
use crate::app::context::Context;
use crate::app::error::AppError;
use crate::ui::keymap::{Keymap, Layer};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Entry<'a> {
    action: String,
    keys: Vec<String>,
    description: &'a str,
}

fn entries(keymap: &Keymap, layer: Layer) -> Vec<Entry<'_>> {
    keymap
        .layer(layer)
        .iter()
        .map(|b| Entry {
            action: b.action.name(),
            keys: b.keys.iter().map(ToString::to_string).collect(),
            description: &b.desc,
        })
        .collect()
}

/// `{ "live": [ { "action": "cover", "keys": ["F2", "Ctrl-o"], "description": "..." } ], ... }`,
/// one list per screen in the keymap's order.
pub fn json(keymap: &Keymap) -> String {
    // Written by hand around serde's entries so the screens keep the keymap's order.
    let screens: Vec<String> = keymap
        .screens()
        .into_iter()
        .map(|(layer, _)| {
            let rows: Vec<String> = entries(keymap, layer)
                .iter()
                .map(|e| format!("    {}", serde_json::to_string(e).unwrap_or_default()))
                .collect();
            format!(
                "  {}: [\n{}\n  ]",
                serde_json::Value::from(layer.name()),
                rows.join(",\n")
            )
        })
        .collect();
    format!("{{\n{}\n}}\n", screens.join(",\n"))
}

/// A plain table per screen, to print and keep beside the laptop.
pub fn text(keymap: &Keymap) -> String {
    let mut out = String::from(
        "On the live screen every printable character goes into the note line; Enter saves it\n(on an empty line: now discussing the selected theme), Esc sets it aside as a draft.\n",
    );
    for (layer, _) in keymap.screens() {
        let rows = entries(keymap, layer);
        out.push_str(&format!("\n{} [{}]\n", layer.title(), layer.name()));
        let widest = rows
            .iter()
            .map(|r| r.keys.join(" ").chars().count())
            .max()
            .unwrap_or(0);
        let widest_action = rows.iter().map(|r| r.action.len()).max().unwrap_or(0);
        for row in rows {
            let keys = row.keys.join(" ");
            out.push_str(&format!(
                "  {keys:<widest$}  {:<widest_action$}  {}\n",
                row.action, row.description
            ));
        }
    }
    out
}

/// The README's table of the live screen's keys: a row per action, folding the nine probe and
/// speaker keys into one row each.
pub fn markdown(keymap: &Keymap) -> String {
    let mut out = String::from("| screen | key | action | does |\n| --- | --- | --- | --- |\n");
    for (layer, _) in keymap
        .screens()
        .into_iter()
        .filter(|(l, _)| l.is_live_screen())
    {
        for (keys, desc) in keymap.help_rows(layer) {
            let action = keymap
                .layer(layer)
                .iter()
                .find(|b| b.desc == desc)
                .map(|b| b.action.name())
                .unwrap_or_default();
            let action = action
                .replace("probe_1", "probe_1..probe_9")
                .replace("speaker_1", "speaker_1..speaker_9");
            let keys = keys
                .split(' ')
                .map(|k| format!("`{}`", k.replace('|', "\\|")))
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!(
                "| {} | {keys} | `{action}` | {} |\n",
                layer.name(),
                desc.replace('|', "\\|")
            ));
        }
    }
    out
}

/// `topicguide keys [--format text|json|md]`.
pub fn run(
    ctx: &Context,
    format: Option<KeysFormat>,
    out: &mut impl Write,
) -> Result<(), AppError> {
    let keymap = Keymap::for_config(&ctx.config);
    let text = match format.unwrap_or(KeysFormat::Text) {
        KeysFormat::Text => text(&keymap),
        KeysFormat::Json => json(&keymap),
        KeysFormat::Md => markdown(&keymap),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(AppError::output)
}
