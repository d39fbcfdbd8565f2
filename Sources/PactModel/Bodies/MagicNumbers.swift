/// Recognises common binary formats from their first bytes, for content-type detection and the contentType matcher.
public enum MagicNumbers {
    private static let signatures: [(prefix: [UInt8], offset: Int, type: String)] = [
        ([0xFF, 0xD8, 0xFF], 0, "image/jpeg"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 0, "image/png"),
        (Array("GIF87a".utf8), 0, "image/gif"),
        (Array("GIF89a".utf8), 0, "image/gif"),
        (Array("%PDF-".utf8), 0, "application/pdf"),
        ([0x50, 0x4B, 0x03, 0x04], 0, "application/zip"),
        ([0x1F, 0x8B], 0, "application/gzip"),
        (Array("BM".utf8), 0, "image/bmp"),
        ([0x49, 0x49, 0x2A, 0x00], 0, "image/tiff"),
        ([0x4D, 0x4D, 0x00, 0x2A], 0, "image/tiff"),
        (Array("WEBP".utf8), 8, "image/webp"),
        ([0x00, 0x00, 0x01, 0x00], 0, "image/x-icon"),
        (Array("OggS".utf8), 0, "audio/ogg"),
        (Array("ID3".utf8), 0, "audio/mpeg"),
        (Array("fLaC".utf8), 0, "audio/flac"),
        (Array("ftyp".utf8), 4, "video/mp4"),
        ([0x1A, 0x45, 0xDF, 0xA3], 0, "video/webm"),
        ([0x7F, 0x45, 0x4C, 0x46], 0, "application/x-executable"),
        ([0x00, 0x61, 0x73, 0x6D], 0, "application/wasm"),
        (Array("SQLite format 3".utf8), 0, "application/vnd.sqlite3"),
    ]

    /// The media type whose signature the bytes start with, or nil when none is recognised.
    public static func contentType(of bytes: [UInt8]) -> ContentType? {
        for signature in signatures {
            let end = signature.offset + signature.prefix.count
            guard bytes.count >= end else { continue }
            if bytes[signature.offset..<end].elementsEqual(signature.prefix) {
                return ContentType(signature.type)
            }
        }
        return nil
    }
}
