/// GEMM, im2col/col2im, convolution and pooling kernels on raw buffers.
public enum FoveaKernels {}
