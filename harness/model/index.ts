// Public entry to model loading: `.tflite` bytes → normalised graph IR.
export * from './graph';
