import Testing
@testable import FoveaModels
