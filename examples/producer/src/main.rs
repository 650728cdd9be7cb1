//! `schemactl-example-producer --brokers HOST:PORT --registry URL --topic TOPIC [--format avro|protobuf] [--count N]`:
//! sends N sample orders (Avro) or payments (Protobuf), registering their schemas on first use.
//! Exit 0 when every value was acknowledged, 2 for bad arguments, 3 for a Kafka or registry failure.

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use schemactl::runtime::ids::{IdStrategy, SchemaIds};
use schemactl_example_producer::schemas::com::example::shop::Order;
use schemactl_example_producer::schemas::example::shop::Payment;
use schemactl_example_producer::{producer, send_avro, send_protobuf, ProduceError};

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Avro,
    Protobuf,
}

#[derive(Parser)]
#[command(about = "Sends sample orders (Avro) or payments (Protobuf) as Confluent frames")]
struct Args {
    /// Kafka bootstrap servers.
    #[arg(long)]
    brokers: String,
    /// Schema registry: an http(s):// URL (credentials from SCHEMA_REGISTRY_* variables).
    #[arg(long)]
    registry: String,
    #[arg(long)]
    topic: String,
    #[arg(long, value_enum, default_value = "avro")]
    format: Format,
    #[arg(long, default_value_t = 3)]
    count: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
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
    for i in 0..args.count {
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
