// What a NACK or ERROR answer means for the caller: BoardResetError for NO_SESSION (the board rebooted and lost the
// session), BoardAnswerError with the code and the board's detail otherwise.
import type { Frame } from './frame-codec';
import { BoardAnswerError, BoardResetError, describeContext, type LinkErrorContext } from './link-errors';
import { FRAME_TYPE, decodeError, decodeNack, frameTypeName } from './messages';
import { LINK_ERROR, PROTOCOL } from './protocol-ids';

export function resetErrorAt(context: LinkErrorContext): BoardResetError {
  return new BoardResetError(`board reset ${describeContext(context)}: call hello() again and redo the sample`, context);
}

/** RUN_FAILED's detail from the bench firmware: its low byte says where the run failed (firmware/app/bench_main.c). */
const RUN_FAILED_AT: Record<number, string> = {
  1: 'the model image did not load',
  2: 'the input has the wrong size',
  3: 'the output does not fit the firmware buffer',
  4: 'the runtime refused or failed the inference',
  5: 'the stack overflowed (fewer than 64 bytes of it left untouched, so the arena below may have been overwritten); ' +
    'the result was discarded: rebuild the firmware with a larger stack (BENCH_STACK_BYTES in harness/build/bench-firmware.ts)',
};

/** The error a NACK / ERROR frame stands for, or undefined for any other frame. */
export function errorFromAnswer(f: Frame, context: LinkErrorContext): Error | undefined {
  if (f.type === FRAME_TYPE.NACK) {
    const nack = decodeNack(f.payload);
    if (nack.code === LINK_ERROR.NO_SESSION) return resetErrorAt(context);
    const hint =
      nack.code === LINK_ERROR.VERSION_MISMATCH
        ? `; the board speaks protocol version ${nack.detail}, the harness ${PROTOCOL.PROTOCOL_VERSION}: flash matching firmware`
        : '';
    return new BoardAnswerError(
      `board rejected ${frameTypeName(nack.requestType)} ${describeContext(context)}: ${nack.codeName} (detail ${nack.detail})${hint}`,
      nack.code, nack.codeName, nack.detail, context,
    );
  }
  if (f.type === FRAME_TYPE.ERROR) {
    const e = decodeError(f.payload);
    const where = e.code === LINK_ERROR.RUN_FAILED ? RUN_FAILED_AT[e.detail & 0xff] : undefined;
    return new BoardAnswerError(`board failed ${describeContext(context)}: ${e.codeName} (detail ${e.detail}): ${e.message}${where ? `: ${where}` : ''}`,
      e.code, e.codeName, e.detail, context);
  }
  return undefined;
}
