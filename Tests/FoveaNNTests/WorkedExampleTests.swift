import FoveaTensor
import Testing
@testable import FoveaNN

/// The worked example of docs/backprop.md: 4×4 input, 2×2 kernel with stride 2 and bias 0.5,
/// 2×2 max pooling, E = (1/16)·Σ(o − 2)². Every number below is derived by hand in the note
/// (and agrees with PyTorch autograd).
@Suite struct WorkedExampleTests {
    @Test(arguments: [KernelImplementation.fast, .reference])
    func reproducesTheNumbersOfTheNote(_ implementation: KernelImplementation) throws {
        let x = try Tensor(shape: [1, 1, 4, 4], scalars: [1, 2, 0, 1,
                                                          0, 1, 3, 2,
                                                          2, 0, 1, 0,
                                                          1, 3, 2, 1])
        let conv = try Conv2D(weight: try Tensor(shape: [1, 1, 2, 2], scalars: [1, -1, 2, 0]),
                              bias: try Tensor(shape: [1], scalars: [0.5]), stride: [2, 2], implementation: implementation)
        let pool = try MaxPool2D(kernel: [2, 2], implementation: implementation)
        let chain = Sequential([conv, pool])
        let passes = try chain.forward(x)
        #expect(passes[0].output.scalars == [-0.5, 5.5, 4.5, 5.5])
        #expect(passes[1].output.scalars == [5.5])
        #expect(passes[1].argmax == [1])  // the tie 5.5 = 5.5 goes to the first, z[0,1]

        let target = try Tensor(shape: [1, 1, 1, 1], scalars: [2])
        let loss = try MSELoss(reduction: .scaled(1.0 / 16)).evaluate(output: passes[1].output, target: target)
        #expect(loss.value == 0.765625)
        #expect(loss.gradient.scalars == [0.4375])  // 2c(o − y), not −2c(o − y)

        let (dx, parameters) = try chain.backward(passes, gradOutput: loss.gradient)
        #expect(parameters[0][0].scalars == [0, 0.4375, 1.3125, 0.875])  // δw
        #expect(parameters[0][1].scalars == [0.4375])  // δb
        #expect(dx.scalars == [0, 0, 0.4375, -0.4375,
                               0, 0, 0.875, 0,
                               0, 0, 0, 0,
                               0, 0, 0, 0])
    }
}
