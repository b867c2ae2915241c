// Starts libFuzzer from a Swift `main`.
//
// SwiftPM links every executable with `--defsym main=<target>_main`, so an
// executable without its own entry point does not link, and libFuzzer's `main`
// (in libclang_rt.fuzzer) is never used. Each fuzzer therefore has an `@main`
// that calls `runLibFuzzer`, which does what libFuzzer's `main` would: hand
// the command line and the test function to libFuzzer's driver.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer's public entry (compiler-rt FuzzerInterface.h).
@_extern(c, "LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with this process's arguments on `testOneInput` and exits
/// with its status (0, or non-zero after a finding).
public func runLibFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
