/** An RGBA pixel buffer with rectangles, lines and a 3×5 pixel font: just enough to draw a bar chart. */

export type Rgb = [number, number, number];

/** 3×5 glyphs, rows top to bottom, "1" = ink. Lowercase letters draw as capitals. */
const GLYPHS: Record<string, string> = {
  "0": "111101101101111",
  "1": "010110010010111",
  "2": "111001111100111",
  "3": "111001111001111",
  "4": "101101111001001",
  "5": "111100111001111",
  "6": "111100111101111",
  "7": "111001010010010",
  "8": "111101111101111",
  "9": "111101111001111",
  A: "010101111101101",
  B: "110101110101110",
  C: "011100100100011",
  D: "110101101101110",
  E: "111100110100111",
  F: "111100110100100",
  G: "011100101101011",
  H: "101101111101101",
  I: "111010010010111",
  J: "001001001101010",
  K: "101101110101101",
  L: "100100100100111",
  M: "101111111101101",
  N: "110101101101101",
  O: "010101101101010",
  P: "110101110100100",
  Q: "010101101110011",
  R: "110101110101101",
  S: "011100010001110",
  T: "111010010010010",
  U: "101101101101111",
  V: "101101101101010",
  W: "101101111111101",
  X: "101101010101101",
  Y: "101101010010010",
  Z: "111001010100111",
  "-": "000000111000000",
  ".": "000000000000010",
  ",": "000000000010100",
  ":": "000010000010000",
  "%": "101001010100101",
  "/": "001001010100100",
  "(": "010100100100010",
  ")": "010001001001010",
  "=": "000111000111000",
  "+": "000010111010000",
  "≤": "001010100010111",
  " ": "000000000000000",
};

export class Raster {
  readonly data: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb = [255, 255, 255]) {
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  setPixel(x: number, y: number, [r, g, b]: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 4;
    this.data.set([r, g, b, 255], i);
  }

  pixel(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 4;
    return [this.data[i], this.data[i + 1], this.data[i + 2]];
  }

  /** Clipped to the raster; negative sizes draw nothing. */
  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x)), y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w)), y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) this.setPixel(xx, yy, color);
  }

  hline(x: number, y: number, w: number, color: Rgb, dash = 0): void {
    for (let i = 0; i < w; i++) if (!dash || Math.floor(i / dash) % 2 === 0) this.setPixel(x + i, y, color);
  }

  /** Draws text with its top-left corner at (x, y); returns the width drawn. Unknown characters draw as "?"-less gaps. */
  text(x: number, y: number, text: string, color: Rgb, scale = 2): number {
    let cx = x;
    for (const ch of text) {
      const glyph = GLYPHS[ch] ?? GLYPHS[ch.toUpperCase()] ?? GLYPHS[" "];
      for (let row = 0; row < 5; row++) {
        for (let col = 0; col < 3; col++) {
          if (glyph[row * 3 + col] === "1") this.fillRect(cx + col * scale, y + row * scale, scale, scale, color);
        }
      }
      cx += 4 * scale;
    }
    return cx - x;
  }

  static textWidth(text: string, scale = 2): number {
    return [...text].length * 4 * scale;
  }
}
