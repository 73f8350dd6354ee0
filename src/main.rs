//! The `topicguide` binary: everything lives in the library; see `topicguide::cli`.

fn main() -> std::process::ExitCode {
    topicguide::cli::main()
}
