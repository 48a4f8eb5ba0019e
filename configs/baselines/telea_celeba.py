# Training-free baseline: OpenCV Telea inpainting at 32 px, then bicubic 4x.
_base_ = ['./bicubic_celeba.py']
model = dict(method='telea')
