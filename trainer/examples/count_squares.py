"""A small multimodal dataset to try the trainer's data interface: images of coloured squares, "how many?".

    python trainer/examples/count_squares.py --out data/squares     # writes img/*.png, train.jsonl, test.jsonl

Each row: {"prompt": "...", "images": ["img/17.png"], "reference": "3", "data_source": "count_squares"},
image paths relative to the JSONL file. Score it with a spec such as trainer/examples/arbiter.yaml's
`count_squares` (math on the <answer> block, plus format).
"""

import argparse
import os
import random
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from data import write_jsonl  # noqa: E402

PROMPT = ("How many squares are in the image? Think inside <think></think>, then give only the number "
          "inside <answer></answer>.")


def squares_image(path, squares=3, size=56, seed=0):
    """A PNG with `squares` coloured, non-overlapping squares on white (one per cell of a grid); returns the path."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    cells = 4 if size < 112 else 6
    side = size // cells
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    for cell in rng.sample(range(cells * cells), squares):
        x, y = (cell % cells) * side + side // 5, (cell // cells) * side + side // 5
        colour = (rng.randrange(200), rng.randrange(200), rng.randrange(200))
        draw.rectangle([x, y, x + side * 3 // 5, y + side * 3 // 5], fill=colour)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    img.save(path)
    return path


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--n_train", type=int, default=512)
    p.add_argument("--n_test", type=int, default=128)
    p.add_argument("--size", type=int, default=224, help="image side in pixels")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    rng = random.Random(args.seed)
    rows = []
    for i in range(args.n_train + args.n_test):
        count = rng.randint(1, 6)
        squares_image(os.path.join(args.out, "img", f"{i}.png"), count, args.size, seed=rng.randrange(1 << 30))
        rows.append({"prompt": PROMPT, "images": [f"img/{i}.png"], "reference": str(count),
                     "data_source": "count_squares"})
    write_jsonl(os.path.join(args.out, "train.jsonl"), rows[:args.n_train])
    write_jsonl(os.path.join(args.out, "test.jsonl"), rows[args.n_train:])
    print(f"wrote {args.n_train} + {args.n_test} rows and their images to {args.out}")


if __name__ == "__main__":
    main()
