// Pascal VOC devkit: `JPEGImages/*.jpg`, `Annotations/*.xml`, optional `ImageSets/Main/<set>.txt`.
// Annotations are parsed lazily, one XML per yielded sample.
import * as path from 'path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DatasetError } from './errors';
import { OUTSIDE_ROOT_REASON, insideRoot, isDir, isFile, listEntries, readLines, readText, subdirs } from './files';
import { Dataset, GroundTruthBox, Sample, SkippedSample, recordSkip } from './types';

/** The 20 VOC classes in the devkit's (alphabetical) order, which is also shared/models/labels/voc20.names. */
export const VOC_CLASSES = [
  'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
] as const;

/** Accepts the devkit year folder itself or a VOCdevkit folder holding exactly one VOC20xx. */
export function resolveVocRoot(dir: string): string | undefined {
  if (isDir(path.join(dir, 'Annotations')) && isDir(path.join(dir, 'JPEGImages'))) return dir;
  const years = subdirs(dir).filter((d) => /^VOC\d{4}$/.test(d) && isDir(path.join(dir, d, 'Annotations')));
  if (years.length === 1) return path.join(dir, years[0]);
  if (years.length > 1) throw new DatasetError(dir, `holds several VOC years (${years.join(', ')}); pass one of them`);
  return undefined;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // numbers are converted explicitly, so a bad value is reported, not silently NaN
  isArray: (name, jpath) => name === 'object' && jpath === 'annotation.object',
});

type XmlNode = Record<string, unknown>;

function num(value: unknown, what: string): number {
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) throw new Error(`${what} is '${String(value)}', not a number`);
  return n;
}

/**
 * A box must lie inside its image and have xmin ≤ xmax, ymin ≤ ymax (VOC: 1-based, inclusive, so 1..width): one
 * inverted or runaway box would otherwise count as a ground truth no detector can match and skew every AP.
 */
function checkBox(box: GroundTruthBox, width: number | undefined, height: number | undefined): void {
  const where = `object '${box.className}' box (${box.xmin}, ${box.ymin})–(${box.xmax}, ${box.ymax})`;
  if (box.xmin > box.xmax || box.ymin > box.ymax) throw new Error(`${where} is inverted (min > max)`);
  if (box.xmin < 0 || box.ymin < 0) throw new Error(`${where} starts outside the image`);
  if ((width !== undefined && box.xmax > width + 1) || (height !== undefined && box.ymax > height + 1)) {
    throw new Error(`${where} ends outside the ${width}×${height} image`);
  }
}

/** Parses one VOC annotation; throws plain Error with the problem, which the loader records as a skip. */
export function parseVocAnnotation(xml: string, classNames: readonly string[]): { filename?: string; width?: number; height?: number; boxes: GroundTruthBox[] } {
  // fast-xml-parser is lenient (it accepts unclosed tags); check well-formedness first so the reason is the real one.
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const doc = parser.parse(xml) as XmlNode;
  const ann = doc.annotation as XmlNode | undefined;
  if (!ann || typeof ann !== 'object') throw new Error('no <annotation> root element');
  const size = ann.size as XmlNode | undefined;
  const boxes: GroundTruthBox[] = [];
  for (const obj of (ann.object as XmlNode[] | undefined) ?? []) {
    const className = String(obj.name ?? '').trim();
    const classIndex = classNames.indexOf(className);
    if (classIndex < 0) throw new Error(`object class '${className}' is not one of the ${classNames.length} known classes`);
    const bb = obj.bndbox as XmlNode | undefined;
    if (!bb) throw new Error(`object '${className}' has no <bndbox>`);
    boxes.push({
      className, classIndex,
      xmin: num(bb.xmin, 'xmin'), ymin: num(bb.ymin, 'ymin'),
      xmax: num(bb.xmax, 'xmax'), ymax: num(bb.ymax, 'ymax'),
      difficult: String(obj.difficult ?? '0').trim() === '1',
      truncated: String(obj.truncated ?? '0').trim() === '1',
    });
  }
  const width = size ? num(size.width, 'width') : undefined;
  const height = size ? num(size.height, 'height') : undefined;
  if ((width !== undefined && !(width > 0)) || (height !== undefined && !(height > 0))) throw new Error(`image <size> ${width}×${height} is not positive`);
  for (const box of boxes) checkBox(box, width, height);
  return { filename: typeof ann.filename === 'string' ? ann.filename.trim() : undefined, width, height, boxes };
}

export interface VocOptions {
  /** Name of an `ImageSets/Main/<imageSet>.txt` list (e.g. 'val'); default: every annotation file. */
  imageSet?: string;
  classNames?: readonly string[];
}

export function loadVoc(dir: string, options: VocOptions = {}): Dataset {
  const root = resolveVocRoot(dir);
  if (!root) throw new DatasetError(dir, 'not a VOC devkit folder; expected Annotations/ and JPEGImages/ (or VOCdevkit/VOC20xx/)');
  const classNames = options.classNames ?? VOC_CLASSES;
  const annDir = path.join(root, 'Annotations');
  let ids: string[];
  if (options.imageSet) {
    const list = path.join(root, 'ImageSets', 'Main', `${options.imageSet}.txt`);
    if (!isFile(list)) {
      const sets = isDir(path.dirname(list)) ? listEntries(path.dirname(list)).filter((e) => e.name.endsWith('.txt')).map((e) => e.name.slice(0, -4)) : [];
      throw new DatasetError(list, `image set '${options.imageSet}' not found; ${sets.length ? `ImageSets/Main/ holds: ${sets.slice(0, 10).join(', ')}${sets.length > 10 ? ', …' : ''}` : 'the devkit has no ImageSets/Main/ folder'}`);
    }
    // Class lists (`person_val.txt`) carry a second column: -1 absent, 0 difficult, 1 present; every id is an image.
    ids = readLines(list).map((l) => l.split(/\s+/)[0]);
  } else {
    ids = listEntries(annDir).filter((d) => d.kind === 'file' && d.name.endsWith('.xml')).map((d) => d.name.slice(0, -4));
  }
  const skipped: SkippedSample[] = [];
  function* samples(): Generator<Sample> {
    for (const id of ids) {
      const xmlFile = insideRoot(annDir, annDir, `${id}.xml`);
      if (!xmlFile) { recordSkip(skipped, { file: path.resolve(annDir, `${id}.xml`), reason: OUTSIDE_ROOT_REASON }); continue; }
      if (!isFile(xmlFile)) { recordSkip(skipped, { file: xmlFile, reason: 'annotation missing for an image set entry' }); continue; }
      let ann: ReturnType<typeof parseVocAnnotation>;
      try {
        ann = parseVocAnnotation(readText(xmlFile), classNames);
      } catch (e) {
        recordSkip(skipped, { file: xmlFile, reason: `annotation unreadable: ${(e as Error).message}` });
        continue;
      }
      const images = path.join(root!, 'JPEGImages');
      const candidates = [ann.filename, `${id}.jpg`, `${id}.jpeg`, `${id}.png`].filter((f): f is string => !!f);
      if (ann.filename && !insideRoot(images, images, ann.filename)) {
        recordSkip(skipped, { file: path.resolve(images, ann.filename), reason: `<filename> of ${id}.xml: ${OUTSIDE_ROOT_REASON}` });
        continue;
      }
      const image = candidates.map((f) => path.join(images, f)).find(isFile);
      if (!image) { recordSkip(skipped, { file: path.join(root!, 'JPEGImages', `${id}.jpg`), reason: 'image missing for annotation' }); continue; }
      yield { name: id, file: image, boxes: ann.boxes, width: ann.width, height: ann.height };
    }
  }
  return { layout: 'voc', root, classNames: [...classNames], samples, skipped };
}
