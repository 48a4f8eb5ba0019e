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
    python_requires='>=3.10',
    # The pinned stack is installed by tools/setup_env.sh (see README): mmcv
    # must be compiled against the local torch and mmagic without its extras.
    install_requires=[],
    license='Apache License 2.0',
    zip_safe=False)
