"""Running the system on this machine: the embedded Kafka 4 broker and a supervised worker process."""
