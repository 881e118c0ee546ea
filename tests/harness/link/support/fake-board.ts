// The TypeScript board endpoint lives in harness/link/sim/ (the link benchmark uses it too).
export { SimulatedBoard as FakeBoard, fakeOutput, type SimulatedBoardOptions as FakeBoardOptions } from '../../../../harness/link/sim/simulated-board';
