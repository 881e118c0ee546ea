export { BoardError } from './board-error';
export type { Board, BoardUart, Chip, Core, LinkRegion, QemuSettings, ResolvedBoard } from './board-types';
export { DEFAULT_BOARDS_DIR, listBoardIds, loadAllBoards, loadBoard, loadChip } from './load-boards';
