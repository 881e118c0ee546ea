/** A model the image format cannot express, or an image the reader rejects: the message names which and why. */
export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}
