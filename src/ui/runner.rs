//! The one event loop every full screen runs in. It blocks until a key, a paste, a resize or the
//! clock's next second, so an idle screen uses no CPU; signals that end the program are noticed
//! within a second.
//!
//! Terminal input is read on a thread of its own and handed over through a channel: when the
//! terminal hangs up, crossterm's reader can spin without returning, and the loop must still
//! notice (through the signal or the failing draw) and leave.

use super::terminal::Term;
use crate::app::clock::now;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseEvent};
use ratatui::layout::Rect;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A full screen: draws itself and reacts to input and to the clock.
pub trait Screen {
    fn draw(&self, frame: &mut Frame, now: DateTime<Utc>);
    fn on_key(&mut self, key: event::KeyEvent, now: DateTime<Utc>);
    fn on_paste(&mut self, _text: &str, _now: DateTime<Utc>) {}
    /// A mouse event, with the terminal's size to place it.
    fn on_mouse(&mut self, _event: MouseEvent, _area: Rect, _now: DateTime<Utc>) {}
    /// Called once a second and after each batch of input.
    fn tick(&mut self, _now: DateTime<Utc>) {}
    /// Whether the screen has finished.
    fn done(&self) -> bool;
    /// Anything to write straight to the terminal before the next frame (the bell).
    fn take_bell(&mut self) -> bool {
        false
    }
    /// Something only the loop can do for the screen: suspend, redraw.
    fn take_request(&mut self) -> Option<TerminalRequest> {
        None
    }
    /// Called before the process stops for Ctrl-Z or SIGTSTP: keep on disk what must survive.
    fn before_suspend(&mut self) {}
    /// A moment before the clock's next second when the screen has work to do (writing the
    /// note line to disk a little after the last key).
    fn wake_at(&self) -> Option<Instant> {
        None
    }
}

/// Something only the loop that owns the terminal can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalRequest {
    /// Give the terminal back and stop (Ctrl-Z, or SIGTSTP from outside); `fg` carries on.
    Suspend,
    /// Draw everything again from scratch (Ctrl-L).
    Redraw,
}

/// Why the loop stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The screen said it was done.
    Done,
    /// SIGHUP, SIGTERM or SIGINT arrived.
    Signalled,
    /// The terminal went away (drawing failed).
    TerminalLost,
}

/// Registers the signals that end the program; the flag turns true when one arrives.
pub fn termination_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ] {
        // Failing to register leaves the default action (exit): the journal is synced anyway.
        let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
    }
    flag
}

/// The flag SIGTSTP from outside (`kill -TSTP`) sets; the loop suspends as for Ctrl-Z.
fn suspend_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    Arc::clone(FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGTSTP, Arc::clone(&flag));
        flag
    }))
}

/// Takes the terminal over, runs `screen` in it and gives the terminal back, whatever happens.
/// Fails only when the terminal cannot be taken over.
pub fn run_screen(
    screen: &mut dyn Screen,
    mouse: bool,
) -> Result<Stop, crate::app::error::AppError> {
    use crate::app::error::AppError;
    let stop = termination_flag();
    let mut term = super::terminal::enter(mouse)
        .map_err(|e| AppError::Unexpected(format!("cannot take over the terminal: {e}")))?;
    // Once the screen ran, how it stopped is all the caller needs: a terminal that failed midway
    // is a lost terminal, and the caller still saves what it holds.
    let stopped = run(&mut term, screen, &stop, mouse).unwrap_or(Stop::TerminalLost);
    drop(term);
    super::terminal::restore();
    Ok(stopped)
}

/// Gives the terminal back as the shell left it, stops until `fg`, then takes it over again and
/// draws everything anew.
fn suspend(terminal: &mut Term, mouse: bool) -> io::Result<()> {
    super::terminal::restore();
    // Stops the process here (as SIGTSTP would without our handler) until SIGCONT.
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
    super::terminal::take_over_again(mouse)?;
    redraw_all(terminal)
}

/// Clears the screen and forgets the last frame, so the next draw puts every cell again.
/// (`Terminal::clear` would ask the terminal where its cursor is, and the answer would reach
/// the input thread instead.)
fn redraw_all(terminal: &mut Term) -> io::Result<()> {
    use ratatui::crossterm::execute;
    use ratatui::crossterm::terminal::{Clear, ClearType};
    execute!(io::stdout(), Clear(ClearType::All))?;
    // Swapping resets the last frame: both buffers are now blank.
    terminal.swap_buffers();
    Ok(())
}

/// Runs `screen` until it is done, a signal arrives or the terminal is lost.
pub fn run(
    terminal: &mut Term,
    screen: &mut dyn Screen,
    stop: &AtomicBool,
    mouse: bool,
) -> io::Result<Stop> {
    let suspend_requested = suspend_flag();
    loop {
        let now = now();
        screen.tick(now);
        if screen.done() {
            return Ok(Stop::Done);
        }
        if stop.load(Ordering::SeqCst) {
            return Ok(Stop::Signalled);
        }
        let request = screen.take_request();
        if suspend_requested.swap(false, Ordering::SeqCst)
            || request == Some(TerminalRequest::Suspend)
        {
            screen.before_suspend();
            suspend(terminal, mouse)?;
        } else if request == Some(TerminalRequest::Redraw) {
            redraw_all(terminal)?;
        }
        if screen.take_bell() {
            use std::io::Write;
            let mut out = io::stdout();
            let _ = out.write_all(b"\x07").and_then(|()| out.flush());
        }
        if terminal.draw(|frame| screen.draw(frame, now)).is_err() {
            return Ok(Stop::TerminalLost);
        }
        let mut wait = until_next_second(now);
        if let Some(at) = screen.wake_at() {
            wait = wait.min(at.saturating_duration_since(Instant::now()));
        }
        let Ok(input) = input().lock() else {
            return Ok(Stop::TerminalLost);
        };
        match input.recv_timeout(wait) {
            // Woken from elsewhere (a file changed): tick and draw again at once.
            Ok(Input::Wake) => {}
            Ok(Input::Terminal(first)) => {
                // Take everything already waiting before drawing again: a paste or fast typing
                // is handled in one go.
                let mut next = Some(first);
                let size = terminal.size().unwrap_or_default();
                let area = Rect::new(0, 0, size.width, size.height);
                while let Some(event) = next {
                    deliver(screen, event, area);
                    next = if screen.done() {
                        None
                    } else {
                        match input.try_recv() {
                            Ok(Input::Terminal(event)) => Some(event),
                            _ => None,
                        }
                    };
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(Stop::TerminalLost),
        }
    }
}

fn deliver(screen: &mut dyn Screen, event: Event, area: Rect) {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => screen.on_key(key, now()),
        Event::Paste(text) => screen.on_paste(&text, now()),
        Event::Mouse(mouse) => screen.on_mouse(mouse, area, now()),
        _ => {}
    }
}

/// What wakes the loop: terminal input, or another thread asking for a tick and a redraw.
enum Input {
    Terminal(Event),
    Wake,
}

/// The sending end of the loop's channel, kept for [`waker`].
static INPUT_SENDER: OnceLock<Sender<Input>> = OnceLock::new();

/// A function another thread calls to wake the screen's loop at once (a file it follows
/// changed): the screen ticks and draws without waiting for the next second.
pub fn waker() -> std::sync::Arc<dyn Fn() + Send + Sync> {
    input();
    let sender = INPUT_SENDER.get().cloned();
    std::sync::Arc::new(move || {
        if let Some(sender) = &sender {
            let _ = sender.send(Input::Wake);
        }
    })
}

/// The process's one reader of terminal input, started on first use.
fn input() -> &'static Mutex<Receiver<Input>> {
    static INPUT: OnceLock<Mutex<Receiver<Input>>> = OnceLock::new();
    INPUT.get_or_init(|| {
        let (sender, receiver) = mpsc::channel();
        let _ = INPUT_SENDER.set(sender.clone());
        let spawned = std::thread::Builder::new()
            .name("terminal-input".into())
            .spawn(move || {
                loop {
                    match event::read() {
                        Ok(event) => {
                            if sender.send(Input::Terminal(event)).is_err() {
                                break;
                            }
                        }
                        // A signal (a suspension and `fg`, a resize) interrupted the wait.
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(_) => break,
                    }
                }
            });
        // Without the thread the receiver reports disconnection and the screen closes.
        drop(spawned);
        Mutex::new(receiver)
    })
}

fn until_next_second(now: DateTime<Utc>) -> Duration {
    let millis = u64::from(now.timestamp_subsec_millis());
    Duration::from_millis(1000u64.saturating_sub(millis).max(5))
}
