/** A detected box in continuous pixel coordinates (x1,y1 top-left, x2,y2 bottom-right) of the stated space. */
export interface Detection { classIndex: number; score: number; x1: number; y1: number; x2: number; y2: number; }
