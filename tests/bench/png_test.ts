/** The chart's PNG encoder and raster, checked against independent decoders (DecompressionStream, Python's zlib). */
import assert from "node:assert/strict";
import { crc32, encodePng, PNG_SIGNATURE } from "../../bench/png.ts";
import { Raster } from "../../bench/raster.ts";

interface Chunk {
  type: string;
  data: Uint8Array;
  crc: number;
  crcInput: Uint8Array;
}

function readChunks(png: Uint8Array): Chunk[] {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    chunks.push({
      type,
      data: png.subarray(at + 8, at + 8 + length),
      crc: view.getUint32(at + 8 + length),
      crcInput: png.subarray(at + 4, at + 8 + length),
    });
    at += 12 + length;
  }
  return chunks;
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("crc32 matches the standard check value and Python's zlib.crc32", async () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
  const text = "IHDR and friends";
  const out = await new Deno.Command("python3", {
    args: ["-c", "import sys, zlib; print(zlib.crc32(sys.argv[1].encode()))", text],
    stdout: "piped",
  }).output();
  assert.equal(crc32(new TextEncoder().encode(text)), Number(new TextDecoder().decode(out.stdout).trim()));
});

Deno.test("encodePng writes IHDR, a zlib IDAT of filtered rows, IEND, each with a valid CRC", async () => {
  const width = 3, height = 2;
  const rgba = new Uint8Array(width * height * 4).map((_, i) => (i * 37) % 256);
  const png = await encodePng(width, height, rgba);
  const chunks = readChunks(png);
  assert.deepEqual(chunks.map((c) => c.type), ["IHDR", "IDAT", "IEND"]);
  for (const c of chunks) assert.equal(c.crc, crc32(c.crcInput), `${c.type} CRC`);
  const ihdr = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
  assert.deepEqual([ihdr.getUint32(0), ihdr.getUint32(4)], [width, height]);
  assert.deepEqual([...chunks[0].data.subarray(8)], [8, 6, 0, 0, 0]);
  const raw = await inflate(chunks[1].data);
  assert.equal(raw.length, (width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = raw.subarray(y * (width * 4 + 1), (y + 1) * (width * 4 + 1));
    assert.equal(row[0], 0, "filter type none");
    assert.deepEqual(row.subarray(1), rgba.subarray(y * width * 4, (y + 1) * width * 4));
  }
});

Deno.test("Python's zlib reads the IDAT stream back to the same pixels", async () => {
  const r = new Raster(5, 4, [10, 20, 30]);
  r.fillRect(1, 1, 2, 2, [200, 100, 50]);
  const png = await encodePng(r.width, r.height, r.data);
  const idat = readChunks(png).find((c) => c.type === "IDAT")!;
  const script = "import sys, zlib\nraw = zlib.decompress(sys.stdin.buffer.read())\n" +
    "w = 5 * 4 + 1\nprint(len(raw), list(raw[1 * w + 1 + 4:1 * w + 1 + 8]), list(raw[1:4]))";
  const child = new Deno.Command("python3", { args: ["-c", script], stdin: "piped", stdout: "piped" }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(idat.data);
  await writer.close();
  const out = new TextDecoder().decode((await child.output()).stdout).trim();
  assert.equal(out, "84 [200, 100, 50, 255] [10, 20, 30]");
});

Deno.test("encodePng refuses sizes that do not match the buffer", async () => {
  await assert.rejects(() => encodePng(2, 2, new Uint8Array(15)), /expected 16 bytes/);
  await assert.rejects(() => encodePng(0, 2, new Uint8Array(0)), /bad PNG size/);
});

Deno.test("raster: rectangles clip to the edges, text leaves ink where its glyphs are", () => {
  const r = new Raster(10, 10);
  r.fillRect(-5, -5, 8, 8, [0, 0, 0]);
  assert.deepEqual(r.pixel(0, 0), [0, 0, 0]);
  assert.deepEqual(r.pixel(2, 2), [0, 0, 0]);
  assert.deepEqual(r.pixel(3, 3), [255, 255, 255]);
  const t = new Raster(20, 10);
  const width = t.text(0, 0, "1", [255, 0, 0], 1);
  assert.equal(width, 4);
  // "1" is 010/110/010/010/111: the top-left pixel is blank, the top middle inked.
  assert.deepEqual(t.pixel(0, 0), [255, 255, 255]);
  assert.deepEqual(t.pixel(1, 0), [255, 0, 0]);
  assert.deepEqual(t.pixel(0, 4), [255, 0, 0]);
  assert.equal(Raster.textWidth("ab", 2), 16);
});
