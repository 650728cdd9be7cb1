//! Every argument of every command has help text (issue 10, point 13), walked over the whole
//! clap command tree so that new arguments stay documented.

use assert_cmd::Command;
use clap::CommandFactory;
use schemactl::cli::Cli;

#[test]
fn every_positional_argument_and_option_has_help() {
    let mut missing = Vec::new();
    let mut stack = vec![(String::from("schemactl"), Cli::command())];
    while let Some((path, command)) = stack.pop() {
        if command.get_about().is_none() {
            missing.push(format!("{path}: no about"));
        }
        for arg in command.get_arguments() {
            // clap's own --help and --version.
            if matches!(arg.get_id().as_str(), "help" | "version") || arg.is_hide_set() {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path}: {}", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            stack.push((format!("{path} {}", sub.get_name()), sub.clone()));
        }
    }
    assert!(missing.is_empty(), "arguments without help: {missing:#?}");
}

fn help(args: &[&str]) -> String {
    let out = Command::cargo_bin("schemactl")
        .unwrap()
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn positional_arguments_show_their_help() {
    for (args, positional, text) in [
        (&["diff"][..], "<SUBJECT>", "The subject to compare"),
        (
            &["versions"],
            "<SUBJECT>",
            "The subject whose versions to list",
        ),
        (&["show"], "<SUBJECT>", "The subject to print"),
        (
            &["config", "get"],
            "[SUBJECT]",
            "without it, the global level",
        ),
        (
            &["config", "set"],
            "[SUBJECT] [LEVEL]",
            "for the global level",
        ),
    ] {
        let shown = help(args);
        assert!(shown.contains(positional), "{args:?}: {shown}");
        assert!(shown.contains(text), "{args:?}: {shown}");
    }
}

#[test]
fn codegen_lists_every_subject_strategy() {
    let shown = help(&["codegen"]);
    for strategy in [
        "record",
        "topic:<topic>",
        "topic-key:<topic>",
        "topic-record:<topic>",
    ] {
        assert!(shown.contains(strategy), "{strategy}: {shown}");
    }
}
