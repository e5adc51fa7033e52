/**
 * Public API of the raw batch layer: byte-for-byte Fetch/Produce of Kafka record batches over
 * kafkajs's authenticated connections, for offset-preserving replication.
 * Invariant: no kafkajs-internal type and no `any` is exported from here (only kafkajs's public config types).
 */
export { RawBroker } from './broker.js';
export { RawCluster, type RawKafkaConfig } from './connection.js';
export {
  KafkaErrorCode,
  KafkaProtocolError,
  RecordBatchFormatError,
  isStaleMetadataError,
  kafkaErrorName,
} from './errors.js';
export {
  fetchFromBroker,
  fetchRaw,
  fetchRawMany,
  type AbortedTransaction,
  type FetchOptions,
  type FetchPartitionResult,
  type FetchPartitionSpec,
  type IsolationLevel,
} from './fetch.js';
export {
  produceRaw,
  produceRawMany,
  produceToBroker,
  type ProduceOptions,
  type ProducePartitionResult,
  type ProducePartitionSpec,
  type RecordError,
} from './produce.js';
export {
  Attr,
  BatchLayout,
  computeBatchCrc,
  decodeBatchHeader,
  decodeControlMarker,
  lastOffsetOf,
  nextOffsetOf,
  parseRecordBatches,
  recordsSectionOf,
  sanitiseForProduce,
  verifyBatchCrc,
  type CompressionCodec,
  type ControlMarker,
  type ControlType,
  type ParsedRecords,
  type RawBatch,
  type TimestampType,
} from './record-batch.js';
export { WireReader, WireWriter } from './wire.js';
export {
  addPartitionToTxn,
  describeProducers,
  describeTransactions,
  endTxn,
  findTransactionCoordinator,
  initTransactionalProducerId,
  type ActiveProducer,
  type CoordinatorAnswer,
  type InitProducerIdAnswer,
  type ProducersAnswer,
  type TransactionDescription,
  type TransactionState,
  type TxnAnswer,
  type TxnProducer,
} from './transactions.js';
