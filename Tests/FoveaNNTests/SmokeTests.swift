import Testing
@testable import FoveaNN
