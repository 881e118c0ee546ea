// Label CSVs through csv-parse: quoted fields (commas, doubled quotes), a BOM and CRLF are read as RFC 4180 says;
// a broken quote is refused with the file and line.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DatasetError, loadLabelledCsv, loadTensorFolder } from '../../../harness/data';
import { readCsv } from '../../../harness/data/csv';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'mcubench-csv-'));

describe('label CSVs', () => {
  it('reads quoted fields holding commas and quotes, with a BOM and CRLF line ends', () => {
    const dir = tmp();
    for (const name of ['a, b.png', 'plain.png', 'say "hi".png']) fs.writeFileSync(path.join(dir, name), 'x');
    const text = '\ufefffilename,class_index,class_name\r\n"a, b.png",3,"tench, Tinca tinca"\r\nplain.png,0,goldfish\r\n"say ""hi"".png",7,"cock"\r\n';
    fs.writeFileSync(path.join(dir, 'labels.csv'), text);
    const table = readCsv(path.join(dir, 'labels.csv'));
    expect(table.header).toEqual(['filename', 'class_index', 'class_name']);
    expect(table.rows).toEqual([['a, b.png', '3', 'tench, Tinca tinca'], ['plain.png', '0', 'goldfish'], ['say "hi".png', '7', 'cock']]);
    const dataset = loadLabelledCsv(dir);
    expect([...dataset.samples()].map((s) => [path.basename(s.file), s.label])).toEqual([['a, b.png', 3], ['plain.png', 0], ['say "hi".png', 7]]);
    expect(dataset.classNames?.[3]).toBe('tench, Tinca tinca');
  });

  it('names the file and line of a bad class index and of an unterminated quote', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'labels.csv'), 'filename,class_index\n\nx.png,1\ny.png,two\n');
    // A bad row is skipped with its file line, not fatal (issue 12): the other rows still evaluate.
    const ds = loadLabelledCsv(dir, { csvFile: path.join(dir, 'labels.csv') });
    [...ds.samples()];
    expect(ds.skipped.find((s) => s.file === path.join(dir, 'y.png'))?.reason).toBe("line 4 of labels.csv: class index 'two' is not a non-negative integer");
    fs.writeFileSync(path.join(dir, 'broken.csv'), 'filename,class_index\n"x.png,1\n');
    expect(() => readCsv(path.join(dir, 'broken.csv'))).toThrow(/broken\.csv.*not a readable CSV \(.*Quote Not Closed.*line 2/i);
  });

  it('reads an MLPerf-style label list with a quoted file name', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a,1.bin'), Buffer.alloc(4));
    fs.writeFileSync(path.join(dir, 'b.bin'), Buffer.alloc(4));
    fs.writeFileSync(path.join(dir, 'labels.csv'), '"a,1.bin",10,4\nb.bin,10,9\n');
    const dataset = loadTensorFolder(dir, { labelsFile: path.join(dir, 'labels.csv') });
    expect([...dataset.samples()].map((s) => [s.name, s.label])).toEqual([['a,1', 4], ['b', 9]]);
  });
});
