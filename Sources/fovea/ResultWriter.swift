import Foundation
import FoveaTensor

/// Writes a command's result files into a directory all together: the directory is created if
/// missing, every file is written atomically, and on any error nothing new is left behind.
enum ResultWriter {
    static func write(_ files: [(name: String, tensor: Tensor)], to directory: String) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw CommandError(description: "--out: \(directory) exists and is not a directory")
        }
        if !exists {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            } catch {
                throw CommandError(description: "--out: cannot create directory \(directory)")
            }
        }
        let base = URL(fileURLWithPath: directory)
        do {
            try AtomicFile.writeAll(files.map { (base.appendingPathComponent($0.name), Npy.encode($0.tensor)) })
        } catch {
            if !exists { try? FileManager.default.removeItem(atPath: directory) }
            throw CommandError(description: "--out: \(error)")
        }
    }
}
