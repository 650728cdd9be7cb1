//! `schemactl-example-consumer --brokers HOST:PORT --registry URL --topic TOPIC [--format avro|protobuf]
//! [--group G] [--dead-letter-topic T] [--max-messages N]`: prints each order (Avro, any version,
//! read as the newest) or payment (Protobuf); poison frames go to the dead-letter topic.
//! Exit 0 at the limit, 2 for bad arguments, 3 for a Kafka or registry failure.

use std::process::ExitCode;
use std::sync::Arc;

use schemactl_example_consumer::schemas::com::example::shop::Order;
use schemactl_example_consumer::schemas::example::shop::Payment;
use schemactl_example_consumer::{
    consumer, lookup, run, AvroFrames, ConsumeError, FrameDecoder, ProtobufFrames, Stats,
};
use schemactl_example_producer::cli::{self, Format};
use schemactl_example_producer::producer;

/// The consumer's own options.
#[derive(clap::Args)]
struct Options {
    #[arg(long, default_value = "schemactl-example")]
    group: String,
    /// Default: `<topic>.dlq`.
    #[arg(long)]
    dead_letter_topic: Option<String>,
    /// Stop after this many messages (default: run until interrupted).
    #[arg(long)]
    max_messages: Option<u64>,
}

type Args = cli::Args<Options>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::from_command_line(
        "Prints Confluent-framed orders (Avro) or payments (Protobuf); poison frames go to a dead-letter topic",
    ) {
        Ok(args) => args,
        Err(exit) => return exit,
    };
    let result = tokio::select! {
        r = consume(&args) => r,
        _ = tokio::signal::ctrl_c() => Ok(Stats::default()),
    };
    match result {
        Ok(stats) => {
            eprintln!(
                "{} decoded, {} dead-lettered",
                stats.decoded, stats.dead_lettered
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
    }
}

async fn consume(args: &Args) -> Result<Stats, Box<dyn std::error::Error>> {
    // README: decoders
    let ids = Arc::new(lookup::consumer_ids(&args.registry)?); // lookups only; unknown ids are poison
    match args.format {
        Format::Avro => {
            let decoder = AvroFrames::<Order>::new(ids).await?; // any version, read as the newest
            consume_with(args, &decoder).await
        }
        Format::Protobuf => consume_with(args, &ProtobufFrames::<Payment>::new(ids)).await,
    }
    // README: end
}

async fn consume_with<D: FrameDecoder>(
    args: &Args,
    decoder: &D,
) -> Result<Stats, Box<dyn std::error::Error>>
where
    D::Value: std::fmt::Debug,
{
    let consumer = consumer(&args.brokers, &args.own.group).map_err(ConsumeError::from)?;
    rdkafka::consumer::Consumer::subscribe(&consumer, &[args.topic.as_str()])
        .map_err(ConsumeError::from)?;
    let dead_letters = producer(&args.brokers).map_err(ConsumeError::from)?;
    let dead_letter_topic = args
        .own
        .dead_letter_topic
        .clone()
        .unwrap_or_else(|| format!("{}.dlq", args.topic));
    let stats = run(
        &consumer,
        &dead_letters,
        &dead_letter_topic,
        decoder,
        args.own.max_messages,
        |value| println!("{value:?}"),
    )
    .await?;
    Ok(stats)
}
