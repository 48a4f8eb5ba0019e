"""What a page's "Machine" line says about the CPU."""
from fcsr_mm.benchmark.speed_machine import cpu_label, cpuinfo


def test_cpu_label_tells_apart_cpus_of_one_name():
    """Two "AMD EPYC" machines, one with AVX-512 bf16: the labels differ."""
    avx2 = dict(flags='fpu sse2 avx fma avx2', **{'model name': 'AMD EPYC'})
    zen4 = dict(flags='fpu avx2 avx512f avx512_bf16 avx512vl',
                **{'model name': 'AMD EPYC'})
    assert cpu_label(avx2) == 'AMD EPYC (AVX2)'
    assert cpu_label(zen4) == 'AMD EPYC (AVX2, AVX-512, AVX512-BF16)'
    amx = dict(flags='avx2 avx512f amx_tile amx_bf16 avx512_bf16',
               **{'model name': 'Intel(R) Xeon(R) Processor'})
    assert cpu_label(amx).endswith('(AVX2, AVX-512, AVX512-BF16, AMX-BF16)')
    assert cpu_label(dict(flags='fp asimd')).endswith('(no AVX2)')


def test_cpu_label_of_this_machine_names_its_model(tmp_path):
    assert cpu_label().startswith(cpuinfo().get('model name', ''))
    assert cpuinfo(str(tmp_path / 'missing')) == {}
