"""greet: say hello from the command line."""
import argparse


def build_parser():
    parser = argparse.ArgumentParser(prog="greet")
    parser.add_argument("name")
    parser.add_argument("--shout", action="store_true", help="print in capitals")
    parser.add_argument("--times", type=int, default=1, help="how many greetings")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    text = f"Hello, {args.name}!"
    for _ in range(args.times):
        print(text.upper() if args.shout else text)
