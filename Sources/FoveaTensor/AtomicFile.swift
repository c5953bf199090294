#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file operation that failed, with the path and the system's reason.
public struct FileError: Error, Equatable, CustomStringConvertible {
    /// The file or directory concerned.
    public let path: String
    /// What was being done: `read`, `create`, `write`, `rename`.
    public let operation: String
    /// The system's explanation (`strerror`).
    public let reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(path): cannot \(operation): \(reason)" }
}

/// Whole-file reads and atomic writes: data goes to a temporary file in the destination's
/// directory, is flushed to disk, and is renamed over the destination, so readers see either the
/// old file or the complete new one.
public enum AtomicFile {
    /// Reads the whole file at `url`.
    public static func read(_ url: URL) throws(FileError) -> [UInt8] {
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw systemError(path, "read") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemError(path, "read") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError(path: path, operation: "read", reason: "not a regular file")
        }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + done, size - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                if n == 0 { break }
                throw systemError(path, "read")
            }
            done += n
        }
        return done == size ? bytes : Array(bytes[0..<done])
    }

    /// Atomically replaces the file at `url` with `bytes`.
    public static func write(_ bytes: [UInt8], to url: URL) throws(FileError) {
        try writeAll([(url, bytes)])
    }

    /// Writes several files so that either all of them are replaced or, on an error, none is
    /// created: every file is first staged as a flushed temporary beside its destination, and
    /// only then are the temporaries renamed into place.
    public static func writeAll(_ files: [(url: URL, bytes: [UInt8])]) throws(FileError) {
        var staged: [(temporary: String, destination: String)] = []
        do {
            for file in files {
                staged.append((try stage(file.bytes, besides: file.url.path), file.url.path))
            }
        } catch {
            for entry in staged { unlink(entry.temporary) }
            throw error
        }
        var created: [String] = []
        for (index, entry) in staged.enumerated() {
            let existed = access(entry.destination, F_OK) == 0
            guard rename(entry.temporary, entry.destination) == 0 else {
                let failure = systemError(entry.destination, "rename")
                for later in staged[index...] { unlink(later.temporary) }
                for path in created { unlink(path) }
                throw failure
            }
            if !existed { created.append(entry.destination) }
        }
        for directory in Set(staged.map { directoryOf($0.destination) }) { syncDirectory(directory) }
    }

    /// Writes `bytes` to a new temporary file in the directory of `destination`, flushed to disk.
    private static func stage(_ bytes: [UInt8], besides destination: String) throws(FileError) -> String {
        let directory = directoryOf(destination)
        let name = destination.split(separator: "/").last.map(String.init) ?? "file"
        var template = Array("\(directory)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw systemError(destination, "create") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure: FileError?
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + done, bytes.count - done)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { failure = systemError(destination, "write"); break }
            done += n
        }
        if failure == nil && fchmod(fd, 0o644) != 0 { failure = systemError(destination, "write") }
        if failure == nil && fsync(fd) != 0 { failure = systemError(destination, "write") }
        if close(fd) != 0 && failure == nil { failure = systemError(destination, "write") }
        if let failure {
            unlink(temporary)
            throw failure
        }
        return temporary
    }

    private static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Flushes a directory entry change to disk; failures here do not undo a completed rename.
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private static func systemError(_ path: String, _ operation: String) -> FileError {
        FileError(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }
}
