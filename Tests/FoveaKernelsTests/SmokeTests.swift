import Testing
@testable import FoveaKernels
