// The host side of the board link (docs/protocol.md): import from here.
export type { Transport, Unsubscribe } from './transport';
export { SerialTransport, type SerialTransportOptions } from './serial-transport';
export { MemoryTransport, type MemoryEndOptions } from './memory-transport';
export { FaultyTransport, type FaultyTransportOptions } from './faulty-transport';
export { FaultInjector, type FaultOptions, type FaultRates, type FaultCounts } from './fault-injector';
export { BoardClient, type BoardClientOptions, type SampleRun } from './protocol-client';
export { timeoutsFor, perByteMsForBaud, type LinkTiming, type LinkTimeouts } from './timeouts';
export { LinkError, BoardResetError, BoardAnswerError, type LinkErrorContext } from './link-errors';
export type { HelloAck, RunStats, ScheduleName, TimeUnitName } from './messages';
export { FrameDecoder, encodeFrame, crc32Of, type Frame } from './frame-codec';
