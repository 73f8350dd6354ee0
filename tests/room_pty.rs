//! The room through the real binary in a pseudo-terminal: the built-in telephone guide opens in
//! telephone layout without `--mode`, "covered, next question" moves on, and a probe key ticks a
//! probe of the question on screen, never one of the question before it, with a message saying
//! which; the mode can be switched live.

#[path = "support/pty.rs"]
mod pty;

use pty::{EXIT_WAIT, Env, WAIT, saved_line};

/// Alt-a and Alt-s, the default keys of probes 1 and 2, as a terminal sends them.
const ALT_A: &str = "\x1ba";
const ALT_S: &str = "\x1bs";
/// Alt-n, the default "covered, next question" key.
const ALT_N: &str = "\x1bn";
/// Ctrl-d: leave, then confirm on the leave dialog.
const CTRL_D: &str = "\x04";
const DOWN: &str = "\x1b[B";
/// Alt-m: switch mode.
const ALT_M: &str = "\x1bm";

#[test]
fn a_probe_key_ticks_a_probe_of_the_question_on_screen() {
    let env = Env::new();
    let mut pty = env.spawn(&[
        "start",
        "cmp-patient-telephone-interview",
        "--label",
        "Phone 1",
    ]);
    let screen = pty.wait_for("Question 1 of 8");
    assert!(
        screen.contains("interview, tel"),
        "the guide's mode, without --mode:\n{screen}"
    );
    // Now discussing question 1; covered, next question: question 2 is shown.
    pty.type_keys("\r");
    pty.wait_for("▶ Question 1 of 8");
    pty.type_keys(ALT_N);
    let screen = pty.wait_for("now: \"The programme");
    assert!(screen.contains("Question 2 of 8"), "{screen}");
    // The probe key ticks probe 1 of question 2, the one on screen, and says so.
    pty.type_keys(ALT_A);
    let screen = pty.wait_for("probe 1 of \"The programme and how they came to it\" ticked");
    assert!(screen.contains(" [x] Alt-a How long ago"), "{screen}");
    // With another question selected below, the question shown stays the one discussed, the
    // selected one is previewed beneath, and the probe keys still tick the one shown.
    pty.type_keys(DOWN);
    pty.wait_for("Selected ▸ 3.");
    pty.type_keys(ALT_S);
    let screen = pty.wait_for("probe 2 of \"The programme and how they came to it\" ticked");
    assert!(screen.contains(" [x] Alt-s Who suggested it"), "{screen}");
    // The mode changes live.
    pty.type_keys(ALT_M);
    pty.wait_for("now video");
    pty.wait_until("the in-person layout", WAIT, |s| {
        !s.contains("Question 2 of 8")
    });
    pty.type_keys(CTRL_D);
    pty.wait_for("leave");
    pty.type_keys(CTRL_D);
    pty.wait_exit(EXIT_WAIT);

    let (id, _) = saved_line(&pty.output());
    let export = env.export(&id);
    assert_eq!(export["session"]["mode"], "video");
    let checked = |theme: usize| -> Vec<bool> {
        export["themes"][theme]["probes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["checked"].as_bool().unwrap())
            .collect()
    };
    assert!(
        checked(0).iter().all(|c| !c),
        "question 1's probes untouched: {:?}",
        checked(0)
    );
    assert_eq!(
        checked(1)[..2],
        [true, true],
        "question 2's first two probes"
    );
    assert!(checked(2).iter().all(|c| !c), "question 3 untouched");
    assert_eq!(export["themes"][0]["status"], "covered");
    assert_eq!(export["themes"][1]["status"], "in_discussion");
}
