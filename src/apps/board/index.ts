export { startBoard, type Board, type BoardOptions } from './server.js';
export { findRuns, type RunInfo, type Status } from './runs.js';
export { readMetrics, type MetricsChunk, type MetricsRow } from './metrics.js';
export { parseSamples, type ParsedSamples, type SampleRow, type SampleSection } from './samples.js';
export { insideRoot } from './safe-path.js';
