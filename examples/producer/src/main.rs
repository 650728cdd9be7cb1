//! `schemactl-example-producer --brokers HOST:PORT --registry URL --topic TOPIC [--format avro|protobuf] [--count N]`:
//! sends N sample orders (Avro) or payments (Protobuf), registering their schemas on first use.
//! Exit 0 when every value was acknowledged, 2 for bad arguments, 3 for a Kafka or registry failure.

use std::process::ExitCode;

use schemactl::runtime::ids::{IdStrategy, SchemaIds};
use schemactl_example_producer::cli::{self, Format};
use schemactl_example_producer::schemas::com::example::shop::Order;
use schemactl_example_producer::schemas::example::shop::Payment;
use schemactl_example_producer::{producer, send_avro, send_protobuf, ProduceError};

/// The producer's own options.
#[derive(clap::Args)]
struct Options {
    #[arg(long, default_value_t = 3)]
    count: u32,
}

type Args = cli::Args<Options>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::from_command_line(
        "Sends sample orders (Avro) or payments (Protobuf) as Confluent frames",
    ) {
        Ok(args) => args,
        Err(exit) => return exit,
    };
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
    }
}

async fn run(args: &Args) -> Result<(), ProduceError> {
    let producer = producer(&args.brokers)?;
    let ids = SchemaIds::open(&args.registry, IdStrategy::AutoRegister)?;
    for i in 0..args.own.count {
        let key = format!("order-{i}");
        let at = match args.format {
            Format::Avro => {
                let order = Order {
                    id: key.clone(),
                    amount_cents: 1_000 + i64::from(i),
                    quantity: 1,
                    currency: "EUR".into(),
                    note: None,
                };
                send_avro(&producer, &ids, &args.topic, &key, &order).await?
            }
            Format::Protobuf => {
                let payment = Payment {
                    order_id: key.clone(),
                    amount_cents: 1_000 + i64::from(i),
                    method: "card".into(),
                };
                send_protobuf(&producer, &ids, &args.topic, &key, &payment).await?
            }
        };
        println!("{key} -> {}[{}]@{}", args.topic, at.partition, at.offset);
    }
    Ok(())
}
