"""Generate the built-in synthetic faces (both layouts) and a contact sheet.

    python tools/dataset_converters/synthetic_faces.py --out data/synthetic \
        --num 2000 --seed 0
"""
import time

from fcsr_mm.data.cli import converter_parser, run_converter
from fcsr_mm.data.io import default_workers
from fcsr_mm.data.synthetic_writer import write_synthetic_faces


def parse_args(argv=None):
    p = converter_parser(__doc__, root_help='', out_required=False)
    p.set_defaults(out='data/synthetic')
    p.add_argument('--num', type=int, default=2000, help='number of faces')
    p.add_argument('--seed', type=int, default=0, help='seed of the set')
    p.add_argument('--canvas', type=int, default=256,
                   help='side of the unaligned (Helen layout) images')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    roots = run_converter(write_synthetic_faces, args.out, args.num,
                          args.seed, args.canvas,
                          default_workers(args.workers),
                          overwrite=args.overwrite, contact_sheet=True)
    print(f'{args.num} faces in {time.time() - start:.1f} s\n'
          f'  aligned layout: {roots["aligned"]}\n'
          f'  Helen layout:   {roots["helen"]}\n'
          f'  contact sheet:  {roots["contact_sheet"]}')
    return roots


if __name__ == '__main__':
    main()
