from setuptools import find_packages, setup


def readme():
    with open('README.md', encoding='utf-8') as f:
        return f.read()


version = {}
with open('fcsr_mm/version.py') as f:
    exec(f.read(), version)

setup(
    name='fcsr_mm',
    version=version['__version__'],
    description='FCSR-GAN (joint face completion and 4x super-resolution) '
    'as an mmagic plugin',
    long_description=readme(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['fcsr_mm', 'fcsr_mm.*']),
    # the shipped models (fcsr_mm/checkpoints/README.md)
    package_data={'fcsr_mm': ['checkpoints/*.pth', 'checkpoints/*.md',
                              'checkpoints/*.json']},
    python_requires='>=3.10',
    # What fcsr_mm imports, in the ranges it was tested with (README, "Use
    # your own environment"). torch and mmcv are left to the user's install
    # (mmcv must match the torch build: `mim install "mmcv>=2.0.0,<2.2.0"`);
    # tools/setup_env.sh installs the pinned stack with --no-deps.
    install_requires=[
        'mmengine>=0.10.0,<1.0', 'mmagic>=1.2.0,<1.3',
        'mmsegmentation>=1.2.2,<1.3', 'numpy<2', 'opencv-python>=4.5',
        'Pillow',
        # imported by mmseg / mmagic at module level but not declared by them
        'ftfy', 'regex', 'albumentations',
        # mmagic 1.2.0 imports diffusers pipelines that later releases moved
        # (0.42 fails); these ranges hold the tested 0.24.0 / 4.35.2
        'diffusers>=0.24,<0.25', 'transformers>=4.35,<4.36',
        'huggingface_hub<0.26',
        # mmengine 0.10 imports pkg_resources (gone from setuptools 82) to
        # find mmagic's configs (`mmagic::` bases); torch asks >= 77.0.3
        'setuptools<82'
    ],
    extras_require={
        'deploy': ['onnx', 'onnxruntime'],  # tools/deployment/
        'tests': ['pytest', 'pytest-timeout'],
    },
    license='Apache License 2.0',
    zip_safe=False)
