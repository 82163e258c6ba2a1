import {crc32} from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * A ZIP archive with uncompressed ("stored") entries: the smallest writer that
 * `unzip` and every ZIP library read, for the emulator's individual-stream archives.
 * Layout per APPNOTE.TXT: local headers + data, central directory, end record.
 */
export function zipStored(entries: ZipEntry[], modifiedAt = new Date()): Buffer {
  const {dosTime, dosDate} = toDosDateTime(modifiedAt);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommon(local, 4, {crc, size: entry.data.length, nameLength: name.length, dosTime, dosDate});
    locals.push(local, name, entry.data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by: 2.0
    writeCommon(central, 6, {crc, size: entry.data.length, nameLength: name.length, dosTime, dosDate});
    central.writeUInt32LE(offset, 42); // where the local header starts
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8); // entries on this disk
  end.writeUInt16LE(entries.length, 10); // entries in total
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16); // directory offset
  return Buffer.concat([...locals, directory, end]);
}

/** The fields local and central headers share, from "version needed" on. */
function writeCommon(b: Buffer, at: number, f: {crc: number; size: number; nameLength: number; dosTime: number; dosDate: number}): void {
  b.writeUInt16LE(20, at); // version needed: 2.0
  b.writeUInt16LE(0x0800, at + 2); // flags: names are UTF-8
  b.writeUInt16LE(0, at + 4); // method: stored
  b.writeUInt16LE(f.dosTime, at + 6);
  b.writeUInt16LE(f.dosDate, at + 8);
  b.writeUInt32LE(f.crc, at + 10);
  b.writeUInt32LE(f.size, at + 14); // compressed size
  b.writeUInt32LE(f.size, at + 18); // uncompressed size
  b.writeUInt16LE(f.nameLength, at + 22);
  // extra field length (and in the central header the rest) stay zero
}

function toDosDateTime(date: Date): {dosTime: number; dosDate: number} {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    dosTime: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}
