// Metrics: classification accuracy, device-vs-host fidelity, latency, SRAM, and detection (./detection).
export * from './tensor-values';
export * from './classification';
export * from './fidelity';
export * from './latency';
export * from './sram';
export * from './output-fidelity';
