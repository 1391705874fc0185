// Reads the MQTT fixed headers in what the broker sends, so a packet that announces more bytes than we
// accept is refused at its first bytes instead of being buffered whole by the MQTT parser.

/** The largest MQTT packet accepted from a broker, unless the settings say otherwise: 16 MiB. */
export const DEFAULT_MAX_PACKET_BYTES = 16 * 1024 * 1024;

/** Why the stream was refused: a length above the limit, or a length field longer than MQTT allows. */
export type PacketProblem = { kind: 'too-large'; announced: number } | { kind: 'malformed' };

export class PacketSizeGuard {
  /** 0: next byte is a fixed header; 1: reading the remaining-length field; 2: inside a packet body. */
  private state = 0;
  private length = 0;
  private shift = 0;
  private lengthBytes = 0;
  private left = 0;
  private problem: PacketProblem | undefined;

  constructor(readonly maxBytes: number) {}

  /** Feeds received bytes; returns the problem as soon as a header breaks the rules (and from then on). */
  feed(chunk: Uint8Array): PacketProblem | undefined {
    let i = 0;
    while (!this.problem && i < chunk.length) {
      if (this.state === 0) {
        i++;
        this.state = 1;
        this.length = 0;
        this.shift = 0;
        this.lengthBytes = 0;
      } else if (this.state === 1) {
        const b = chunk[i++]!;
        this.length += (b & 0x7f) * 2 ** this.shift;
        this.shift += 7;
        this.lengthBytes++;
        if (b & 0x80) {
          if (this.lengthBytes === 4) this.problem = { kind: 'malformed' };
          continue;
        }
        // The fixed header is at most 5 bytes; the limit is on the whole packet.
        if (this.length + 1 + this.lengthBytes > this.maxBytes)
          this.problem = { kind: 'too-large', announced: this.length };
        this.left = this.length;
        this.state = this.left ? 2 : 0;
      } else {
        const n = Math.min(this.left, chunk.length - i);
        i += n;
        this.left -= n;
        if (!this.left) this.state = 0;
      }
    }
    return this.problem;
  }
}
