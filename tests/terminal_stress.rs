//! The real binary in a pseudo-terminal under what terminals and people throw at it: a storm of
//! resizes from 1x1 to 300x100 (and 0x0, as some terminals report) while notes are typed, notes in every script (CJK, emoji joined
//! with ZWJ, combining marks, right-to-left text), control characters and a 200 KB paste. It
//! never crashes, comes back to a full screen, and the export holds every note as it was typed,
//! less its control characters.

#[path = "support/pty.rs"]
mod pty;

use pty::{COLS, EXIT_WAIT, Env, Pty, ROWS, WAIT, note_texts, saved_line, start};
use std::time::{Duration, Instant};

/// Writes a note, the text and Enter, and waits until `shown` is listed.
fn note(pty: &mut Pty, typed: &str, shown: &str) {
    pty.type_keys(&format!("{typed}\r"));
    pty.wait_until(&format!("note {shown:?} listed"), WAIT, |s| {
        s.contains(shown) && !s.contains("NOT SAVED")
    });
}

/// A bracketed paste, as a terminal sends one.
fn paste(text: &str) -> String {
    format!("\x1b[200~{text}\x1b[201~")
}

/// Leaves (Ctrl-d, confirmed with Ctrl-d) and checks the program said where the session is.
fn leave(pty: &mut Pty, env: &Env) -> String {
    pty.type_keys("\x04\x04");
    let status = pty.wait_exit(EXIT_WAIT);
    assert!(status.success(), "{status:?}\n{}", pty.screen());
    let (id, _) = saved_line(&pty.output());
    assert_eq!(id, env.only_session());
    id
}

/// SplitMix64, so the storm is the same on every run.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn a_resize_storm_from_1x1_to_300x100_while_typing_never_crashes_and_ends_on_a_full_screen() {
    let env = Env::new();
    let mut pty = start(&env, "Storm test");
    pty.type_keys("\r");
    note(
        &mut pty,
        "@P1 混合 before the storm 👩\u{200d}👩\u{200d}👧",
        "before the storm",
    );

    let mut state = 0x5701_u64;
    let mut sizes: Vec<(u16, u16)> = vec![
        (1, 1),
        (0, 0),
        (300, 100),
        (0, 40),
        (120, 0),
        (1, 100),
        (300, 1),
        (2, 2),
        (80, 24),
        (20, 6),
    ];
    let extremes = sizes.len();
    for _ in 0..250 {
        let cols = 1 + (next(&mut state) % 300) as u16;
        let rows = 1 + (next(&mut state) % 100) as u16;
        sizes.push((cols, rows));
    }
    let mut typed = Vec::new();
    for (i, (cols, rows)) in sizes.iter().enumerate() {
        pty.resize(*cols, *rows);
        // Notes go on being typed whatever the size; now and then a little pause lets a frame
        // be drawn at this size.
        if i % 25 == 0 {
            let text = format!("storm note {i} 😀 e\u{301}");
            pty.type_keys(&format!("@P2 {text}\r"));
            typed.push(text);
        }
        if i < extremes {
            // Time to draw a frame at each extreme size.
            std::thread::sleep(Duration::from_millis(30));
        } else if i % 10 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(pty.running(), "crashed after resizing to {cols}x{rows}");
    }
    pty.resize(COLS, ROWS);
    let last = typed.last().expect("notes typed in the storm").clone();
    pty.wait_until("the full screen after the storm", WAIT, |s| {
        s.contains("Storm test")
            && s.contains("Themes")
            && s.contains(&format!("Notes {} ", typed.len() + 1))
            && s.contains(&last)
            && !s.contains("too small")
    });
    assert!(pty.running());
    note(&mut pty, "after the storm", "after the storm");
    let id = leave(&mut pty, &env);

    let mut expected = vec!["混合 before the storm 👩\u{200d}👩\u{200d}👧".to_string()];
    expected.extend(typed);
    expected.push("after the storm".into());
    assert_eq!(note_texts(&env.export(&id)), expected);
}

#[test]
fn notes_in_every_script_keep_every_character_and_lose_only_control_characters() {
    let env = Env::new();
    let mut pty = start(&env, "Script test");
    pty.type_keys("\r");
    // (typed, on screen, in the export)
    let notes = [
        (
            "@P1 我们每周都去散步，感觉好多了 #quote",
            "我们每周都去散步",
            "我们每周都去散步，感觉好多了 #quote",
        ),
        (
            "@P2 family 👩\u{200d}👩\u{200d}👧 coder 👨🏽\u{200d}💻 flag 🏳\u{fe0f}\u{200d}🌈",
            "family",
            "family 👩\u{200d}👩\u{200d}👧 coder 👨🏽\u{200d}💻 flag 🏳\u{fe0f}\u{200d}🌈",
        ),
        (
            "@P3 e\u{301}te\u{301} cafe\u{301} n\u{303}o Z\u{351}\u{34a}\u{34b}a\u{316}lgo",
            "lgo",
            "e\u{301}te\u{301} cafe\u{301} n\u{303}o Z\u{351}\u{34a}\u{34b}a\u{316}lgo",
        ),
        (
            "@P4 שלום עולם مرحبا \u{200f}mixed\u{200e} 123 \u{202e}override\u{202c} end",
            "שלום עולם",
            "שלום עולם مرحبا \u{200f}mixed\u{200e} 123 \u{202e}override\u{202c} end",
        ),
    ];
    for (typed, shown, _) in &notes {
        note(&mut pty, typed, shown);
    }

    // Control characters come in through a paste (typed, they are editing keys): they are
    // dropped, line breaks and tabs become spaces, and nothing in the paste runs a command.
    let controls = "@P5 bell\x07 nul\x00 tab\there\r\nnew line \x1b[31mred\x7f del\u{85}nel \
                    \x1b[2J\x1b[Hclear? q\ny";
    pty.type_keys(&paste(controls));
    pty.wait_for("clear? q y");
    pty.type_keys("\r");
    pty.wait_until("the pasted note listed", WAIT, |s| {
        s.contains("Notes 5 ") && s.contains("P5 › bell nul")
    });
    assert!(pty.running(), "the paste ran no command");

    let id = leave(&mut pty, &env);
    let export = env.export(&id);
    let mut expected: Vec<String> = notes.iter().map(|(_, _, e)| e.to_string()).collect();
    expected.push("bell nul tab here new line [31mred delnel [2J[Hclear? q y".into());
    assert_eq!(note_texts(&export), expected);
    let speakers: Vec<&str> = export["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["speaker"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(speakers, ["P1", "P2", "P3", "P4", "P5"]);
}

/// About `bytes` of text over many lines, in several scripts.
fn huge_text(bytes: usize) -> String {
    let mut text = String::from("@P3 ");
    let mut line = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "line {line}: 混合 café e\u{301} 👩\u{200d}👩\u{200d}👧 שלום and some more words\n"
        ));
        line += 1;
    }
    text.push_str("THE END");
    text
}

/// Whether the notes pane shows the paste's last words, `THE END`, on one line or wrapped
/// between two (where the line breaks depends on the widths of the emoji before it).
fn shows_the_end(screen: &str) -> bool {
    let notes_side = |line: &str| line.split('│').nth(1).unwrap_or("").trim().to_string();
    let lines: Vec<String> = screen.lines().map(notes_side).collect();
    lines.iter().any(|l| l.contains("THE END"))
        || lines
            .windows(2)
            .any(|w| w[0].ends_with(" THE") && w[1].starts_with("END"))
}

#[test]
fn a_200_kb_paste_becomes_one_whole_note_and_the_screen_keeps_up() {
    let env = Env::new();
    let mut pty = start(&env, "Paste test");
    let text = huge_text(200 * 1024);
    assert!(text.len() >= 200 * 1024);
    let begun = Instant::now();
    pty.type_keys(&paste(&text));
    pty.wait_until("the end of the paste in the note line", WAIT, |s| {
        s.contains("THE END")
    });
    let pasted = begun.elapsed();
    pty.type_keys("\r");
    pty.wait_until("the pasted note listed", WAIT, |s| {
        s.contains("Notes 1 ") && shows_the_end(s) && !s.contains("NOT SAVED")
    });
    let saved = begun.elapsed();
    // Typing goes on at once after it: the screen is not held up by the long note.
    let typing = Instant::now();
    note(&mut pty, "after the paste", "after the paste");
    let next_note = typing.elapsed();
    eprintln!(
        "200 KB paste: in the note line after {pasted:?}, saved after {saved:?}; the next note took {next_note:?}"
    );
    let id = leave(&mut pty, &env);

    let notes = note_texts(&env.export(&id));
    assert_eq!(notes.len(), 2);
    let expected = text["@P3 ".len()..].replace('\n', " ");
    assert_eq!(notes[0].len(), expected.len());
    assert!(notes[0] == expected, "the pasted note is whole");
    assert_eq!(notes[1], "after the paste");
}

#[test]
fn keys_typed_faster_than_the_screen_reads_them_all_arrive_without_another_key() {
    // More than one read's worth (crossterm reads 1 KiB at a time) in one write: a reader that
    // waits for the terminal to signal new input would leave the rest until the next key.
    let env = Env::new();
    let mut pty = start(&env, "Burst test");
    let notes: Vec<String> = (0..160)
        .map(|i| format!("burst note {i:03} 混合"))
        .collect();
    let keys: String = notes.iter().map(|n| format!("{n}\r")).collect();
    assert!(keys.len() > 3 * 1024);
    pty.type_keys(&keys);
    pty.wait_until("the last note of the burst listed", WAIT, |s| {
        s.contains("burst note 159") && s.contains("Notes 160 ")
    });
    let id = leave(&mut pty, &env);
    assert_eq!(note_texts(&env.export(&id)), notes);
}
